import { useEffect, useRef, useState } from 'react';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { applyJobEvent, rowFromInfo, type JobRow } from './job-rows';

/**
 * Every job this window knows of, kept up to date: live job events folded with `applyJobEvent`,
 * plus `jobs.list` for jobs started before this window opened (or by another door). The sidebar
 * panel and the status bar each keep their own copy (events fan out in the renderer; cheap).
 */
export function useJobRows(): [
  ReadonlyMap<string, JobRow>,
  (update: (rows: ReadonlyMap<string, JobRow>) => ReadonlyMap<string, JobRow>) => void,
] {
  const { client } = useStudio();
  const { revisions } = useLibrary();
  const [rows, setRows] = useState<ReadonlyMap<string, JobRow>>(new Map());
  const order = useRef(0);

  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'job') return;
        setRows((r) => applyJobEvent(r, event.payload, order.current++));
      }),
    [client],
  );

  useEffect(() => {
    let current = true;
    client.call('jobs.list', {}).then(
      (list) => {
        if (!current) return;
        setRows((r) => {
          const next = new Map(r);
          for (const info of list) {
            if (!next.has(info.id)) next.set(info.id, rowFromInfo(info, -order.current++));
          }
          return next;
        });
      },
      () => {
        // Without a library some cores refuse jobs.list; the live events still arrive.
      },
    );
    return () => {
      current = false;
    };
  }, [client, revisions.opened]);

  return [rows, setRows];
}

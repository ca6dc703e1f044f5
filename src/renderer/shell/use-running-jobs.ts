import { useEffect, useMemo, useRef, useState } from 'react';
import { useLibrary } from '../app/library-state';
import { useStudio } from '../app/studio-context';
import { ACTIVE, applyJobEvent, rowFromInfo, type JobRow } from '../features/jobs/job-rows';

/**
 * The jobs that are queued or running, kept the way the sidebar's JobsPanel keeps them: live job
 * events folded with the same `applyJobEvent`, plus `jobs.list` for jobs started before this
 * window opened. A second subscription is cheap (events are fanned out in the renderer) and keeps
 * the panel and the status bar independent.
 */
export function useRunningJobs(): JobRow[] {
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

  return useMemo(() => [...rows.values()].filter((r) => ACTIVE.includes(r.status)), [rows]);
}

import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { ImportReport } from '../../../shared/contract/library-types';
import { errorData, isCancelled } from '../../app/errors';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { importSummary } from '../jobs/job-rows';

export type ImportRun = {
  phase: 'running' | 'done' | 'failed' | 'cancelled';
  jobId: string | null;
  done: number;
  total: number;
  message: string | null;
  report: ImportReport | null;
  error: AppErrorData | null;
};

export type ImportSession = {
  run: ImportRun | null;
  start: (paths: string[], csv: string | null) => void;
  cancel: () => void;
};

const Context = createContext<ImportSession | null>(null);

export function useImportSession(): ImportSession {
  const session = useContext(Context);
  if (session === null) throw new Error('useImportSession() needs an <ImportSessionProvider>.');
  return session;
}

/** Keeps the running (or last) import alive while the user looks at other views. */
export function ImportSessionProvider(props: { children: ReactNode }) {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const [run, setRun] = useState<ImportRun | null>(null);

  const start = useCallback(
    (paths: string[], csv: string | null) => {
      setRun({
        phase: 'running',
        jobId: null,
        done: 0,
        total: 0,
        message: null,
        report: null,
        error: null,
      });
      const update = (patch: Partial<ImportRun>): void =>
        setRun((r) => (r === null ? r : { ...r, ...patch }));
      client
        .runJob('import.start', { paths, csv }, (event) => {
          if (event.type === 'progress') {
            update({
              jobId: event.jobId,
              done: event.done,
              total: event.total,
              message: event.message,
            });
          } else {
            update({ jobId: event.jobId });
          }
        })
        .then(
          (report) => {
            update({ phase: 'done', report });
            notify.info('Import finished', importSummary(report));
            changed('images', 'labels', 'cities');
          },
          (error: unknown) => {
            if (isCancelled(error)) {
              update({ phase: 'cancelled' });
            } else {
              update({ phase: 'failed', error: errorData(error) });
              notify.error('The import failed', error);
            }
            changed('images', 'labels', 'cities');
          },
        );
    },
    [client, notify, changed],
  );

  const jobId = run?.jobId ?? null;
  const cancel = useCallback(() => {
    if (jobId === null) return;
    client
      .call('jobs.cancel', { jobId })
      .catch((error: unknown) => notify.error('Could not cancel the import', error));
  }, [client, notify, jobId]);

  const value = useMemo(() => ({ run, start, cancel }), [run, start, cancel]);
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { GeoBatchSummary } from '../../../shared/contract/geo-types';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad, type Load } from '../../app/use-load';
import { addSample, type ProgressSample } from '../train/eta';

/** A geolocate job that is running now: its last progress and the samples its ETA comes from. */
export type RunningJob = {
  jobId: string;
  done: number;
  total: number;
  message: string | null;
  samples: ProgressSample[];
};

export type GeoBatches = {
  list: Load<GeoBatchSummary[]>;
  /** Running geolocate jobs by id. */
  running: ReadonlyMap<string, RunningJob>;
  /** How the last job of a batch ended badly (failed), by job id, for this session. */
  failures: ReadonlyMap<string, AppErrorData>;
  /** Starts following a job this window started (its events may already be arriving). */
  follow: (jobId: string) => void;
  cancel: (jobId: string) => Promise<void>;
  resume: (batchId: number) => Promise<void>;
  reload: () => void;
};

/** While a job runs, the batch list (its predicted counts) is re-read at most this often. */
const RELOAD_EVERY_MS = 2_000;

const idle = (jobId: string): RunningJob => ({
  jobId,
  done: 0,
  total: 0,
  message: null,
  samples: [],
});

/**
 * The library's geolocation batches and the geolocate jobs working on them, kept current from job
 * events: progress moves the bars, the end of a job re-reads the list.
 */
export function useGeoBatches(): GeoBatches {
  const { client } = useStudio();
  const { changed } = useLibrary();
  const key = useRevisionKey('opened', 'images', 'labels', 'models');
  const [nonce, setNonce] = useState(0);
  const list = useLoad(() => client.call('geo.list', {}), `${key}:${nonce}`);
  const [running, setRunning] = useState<ReadonlyMap<string, RunningJob>>(new Map());
  const [failures, setFailures] = useState<ReadonlyMap<string, AppErrorData>>(new Map());
  const lastReload = useRef(0);

  const reload = useCallback(() => {
    lastReload.current = Date.now();
    setNonce((n) => n + 1);
  }, []);

  // Jobs started before this screen opened (or by another door) are found in the job list.
  useEffect(() => {
    let current = true;
    client.call('jobs.list', {}).then(
      (jobs) => {
        if (!current) return;
        setRunning((map) => {
          const next = new Map(map);
          for (const j of jobs) {
            if (j.kind !== 'geolocate' || (j.status !== 'queued' && j.status !== 'running'))
              continue;
            const at = Date.now();
            next.set(j.id, {
              ...idle(j.id),
              ...j.progress,
              samples: [{ ...j.progress, at }],
            });
          }
          return next;
        });
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, key]);

  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'job' || event.payload.kind !== 'geolocate') return;
        const e = event.payload;
        if (e.type === 'queued' || e.type === 'progress') {
          setRunning((map) => {
            const next = new Map(map);
            const job = map.get(e.jobId) ?? idle(e.jobId);
            if (e.type === 'progress') {
              const sample = { done: e.done, total: e.total, message: e.message, at: Date.now() };
              next.set(e.jobId, {
                ...job,
                done: e.done,
                total: e.total,
                message: e.message,
                samples: addSample(job.samples, sample),
              });
            } else next.set(e.jobId, job);
            return next;
          });
          if (e.type === 'progress' && Date.now() - lastReload.current > RELOAD_EVERY_MS) reload();
          return;
        }
        if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
          setRunning((map) => {
            const next = new Map(map);
            next.delete(e.jobId);
            return next;
          });
          if (e.type === 'failed') setFailures((m) => new Map(m).set(e.jobId, e.error));
          // New photos and labels (GPS, folder names) came in with the batch; the changed key
          // re-reads the list too.
          changed('images', 'labels');
        }
      }),
    [client, reload, changed],
  );

  const follow = useCallback((jobId: string) => {
    setRunning((map) => (map.has(jobId) ? map : new Map(map).set(jobId, idle(jobId))));
  }, []);

  const cancel = useCallback(
    async (jobId: string) => {
      const r = await client.call('jobs.cancel', { jobId });
      // A job that had already ended cannot be cancelled: forget it and show the list as it is.
      if (!r.cancelled) {
        setRunning((map) => {
          const next = new Map(map);
          next.delete(jobId);
          return next;
        });
        reload();
      }
    },
    [client, reload],
  );

  const resume = useCallback(
    async (batchId: number) => {
      const started = await client.call('geo.resume', { batchId });
      follow(started.jobId);
      reload();
    },
    [client, follow, reload],
  );

  return { list, running, failures, follow, cancel, resume, reload };
}

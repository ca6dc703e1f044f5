import { useEffect, useRef } from 'react';
import type { BackendReport } from '../../shared/contract/ml-types';
import { useStudio } from '../app/studio-context';
import { publishBackend, useKnownBackend } from '../ui/backend-store';
import { provesHostRunning } from './backend-status';

/**
 * The backend for the status bar, without starting the ML host for it: `ml.info` starts the host
 * (loading TensorFlow.js and probing backends takes seconds and a process), which a status line
 * must not cause. So the bar shows what Models or Train already asked for, and once an ML job
 * reports work (the host is then running anyway) it asks `ml.info` itself, which the running host
 * answers from the choice it already made.
 */
export function useStatusBackend(): BackendReport | null {
  const { client } = useStudio();
  const backend = useKnownBackend();
  const asking = useRef(false);
  const known = backend !== null;

  useEffect(() => {
    if (known) return undefined;
    return client.subscribe((event) => {
      if (event.channel !== 'job' || asking.current || !provesHostRunning(event.payload)) return;
      asking.current = true;
      client.call('ml.info', {}).then(
        (info) => publishBackend(info.backend),
        () => {
          // The host may have just crashed; the next job event asks again.
          asking.current = false;
        },
      );
    });
  }, [client, known]);

  return backend;
}

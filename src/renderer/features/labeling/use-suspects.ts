import { useCallback, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { SuspectItem, SuspectsResult } from '../../../shared/contract/label-queue-types';
import { errorData } from '../../app/errors';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { baseName } from '../library/format';

export type SuspectAction = 'keep' | 'change' | 'exclude' | 'skip';

export type Suspects = {
  result: SuspectsResult | null;
  /** Photos still to review; [0] is on screen. */
  queue: SuspectItem[];
  running: boolean;
  progress: string | null;
  error: AppErrorData | null;
  last: string | null;
  find: (folds: number) => void;
  answer: (action: SuspectAction, city?: string) => void;
  undo: () => void;
};

/** The probably-mislabelled queue of one model: the out-of-fold search, then one photo at a time. */
export function useSuspects(modelId: string): Suspects {
  const { client } = useStudio();
  const { changed } = useLibrary();
  const [result, setResult] = useState<SuspectsResult | null>(null);
  const [queue, setQueue] = useState<SuspectItem[]>([]);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [last, setLast] = useState<string | null>(null);
  /** Reviewed photos, newest last, with whether the server recorded the review (skip is local). */
  const history = useRef<{ item: SuspectItem; recorded: boolean }[]>([]);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const queueRef = useRef<SuspectItem[]>([]);
  queueRef.current = queue;

  const find = useCallback(
    (folds: number) => {
      setRunning(true);
      setError(null);
      history.current = [];
      client
        .runJob('suspects.start', { modelId, folds }, (event) => {
          if (event.type === 'progress')
            setProgress(`${event.message ?? 'Working'}: ${event.done}/${event.total}`);
        })
        .then(
          (r) => {
            setResult(r);
            setQueue(r.items);
            setRunning(false);
            setProgress(null);
          },
          (e: unknown) => {
            setRunning(false);
            setProgress(null);
            setError(errorData(e));
          },
        );
    },
    [client, modelId],
  );

  const send = useCallback(<T>(call: () => Promise<T>, onDone: (value: T) => void) => {
    chain.current = chain.current.then(call).then(onDone, (e: unknown) => setError(errorData(e)));
  }, []);

  const answer = useCallback(
    (action: SuspectAction, city?: string) => {
      const item = queueRef.current[0];
      if (item === undefined) return;
      history.current.push({ item, recorded: action !== 'skip' });
      setQueue((q) => q.slice(1));
      const name = baseName(item.path);
      setLast(
        action === 'keep'
          ? `${name}: kept ${item.label}`
          : action === 'change'
            ? `${name}: ${item.label} → ${city ?? ''}`
            : action === 'skip'
              ? `${name}: skipped`
              : `${name}: excluded from training`,
      );
      if (action === 'skip') return;
      send(
        () =>
          client.call('queue.answer', {
            modelId,
            queue: 'suspects',
            imageId: item.imageId,
            action,
            city: action === 'change' ? (city ?? null) : null,
          }),
        () => changed('labels'),
      );
    },
    [client, modelId, send, changed],
  );

  const undo = useCallback(() => {
    const top = history.current.pop();
    if (top === undefined) {
      setLast('Nothing to undo.');
      return;
    }
    setQueue((q) => [top.item, ...q]);
    setLast(`Undone: ${baseName(top.item.path)} is back.`);
    if (!top.recorded) return;
    send(
      () => client.call('queue.undo', { modelId, queue: 'suspects' }),
      () => changed('labels'),
    );
  }, [client, modelId, send, changed]);

  return { result, queue, running, progress, error, last, find, answer, undo };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type {
  LabelingStatus,
  LabelStrategy,
  QueueItem,
} from '../../../shared/contract/label-queue-types';
import { errorData } from '../../app/errors';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { baseName } from '../library/format';

/** Photos asked for per ranking; more are asked for when fewer than REFILL are left. */
const BATCH = 50;
const REFILL = 5;

export type LabelNext = {
  /** queue[0] is on screen; the rest are ranked behind it. */
  queue: QueueItem[];
  status: LabelingStatus | null;
  ranking: boolean;
  error: AppErrorData | null;
  /** The last action, in words. */
  last: string | null;
  answer: (action: 'label' | 'skip' | 'exclude', city?: string) => void;
  undo: () => void;
  rerank: () => void;
};

/**
 * The label-next queue of one model: ranked photos, answers sent in order behind the screen (the
 * next photo shows at once; the answer's round trip never holds a key press up), re-ranking when a
 * background retrain lands or the list runs low.
 */
export function useLabelNext(modelId: string, strategy: LabelStrategy): LabelNext {
  const { client } = useStudio();
  const { changed } = useLibrary();
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [status, setStatus] = useState<LabelingStatus | null>(null);
  const [ranking, setRanking] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [last, setLast] = useState<string | null>(null);
  /** Photos answered in this session: never shown again by a later ranking. */
  const done = useRef(new Set<number>());
  /** Answered photos, newest last, to bring back on undo. */
  const history = useRef<QueueItem[]>([]);
  /** Answers and undos go one after another, in the order of the key presses. */
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const rankedVersion = useRef(-1);
  const rankingRef = useRef(false);
  const queueRef = useRef<QueueItem[]>([]);
  queueRef.current = queue;

  const rank = useCallback(
    (version: number) => {
      if (rankingRef.current) return;
      rankingRef.current = true;
      setRanking(true);
      rankedVersion.current = version;
      client.runJob('queue.suggest', { modelId, n: BATCH, strategy }).then(
        (result) => {
          rankingRef.current = false;
          setRanking(false);
          setError(null);
          setQueue((current) => {
            const head = current[0];
            const fresh = result.items.filter(
              (i) => !done.current.has(i.imageId) && i.imageId !== head?.imageId,
            );
            return head === undefined ? fresh : [head, ...fresh];
          });
        },
        (e: unknown) => {
          rankingRef.current = false;
          setRanking(false);
          setError(errorData(e));
        },
      );
    },
    [client, modelId, strategy],
  );

  const refreshStatus = useCallback(() => {
    client
      .call('queue.status', { modelId })
      .then(setStatus, (e: unknown) => setError(errorData(e)));
  }, [client, modelId]);

  // A new model or strategy: start over.
  useEffect(() => {
    done.current = new Set();
    history.current = [];
    setQueue([]);
    setLast(null);
    rankedVersion.current = -1;
    rankingRef.current = false;
    refreshStatus();
    rank(0);
  }, [rank, refreshStatus]);

  // A retrain finishing (or failing) changes the status: follow it.
  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'job' || event.payload.kind !== 'label-train') return;
        const t = event.payload.type;
        if (t === 'done' || t === 'failed' || t === 'cancelled') refreshStatus();
      }),
    [client, refreshStatus],
  );

  // A retrained head re-ranks the queue; so does a list running low.
  useEffect(() => {
    if (status === null || rankingRef.current) return;
    if (status.headVersion > rankedVersion.current && rankedVersion.current >= 0)
      rank(status.headVersion);
    else if (queue.length > 0 && queue.length < REFILL) rank(status.headVersion);
  }, [status, queue.length, rank]);

  const send = useCallback(<T>(call: () => Promise<T>, onDone: (value: T) => void) => {
    chain.current = chain.current.then(call).then(onDone, (e: unknown) => setError(errorData(e)));
  }, []);

  const answer = useCallback(
    (action: 'label' | 'skip' | 'exclude', city?: string) => {
      const item = queueRef.current[0];
      if (item === undefined) return;
      done.current.add(item.imageId);
      history.current.push(item);
      setQueue((q) => q.slice(1));
      const name = baseName(item.path);
      setLast(
        action === 'label'
          ? `${name}: ${city ?? ''}`
          : action === 'skip'
            ? `${name}: skipped`
            : `${name}: not a street photo (excluded from training)`,
      );
      send(
        () =>
          client.call('queue.answer', {
            modelId,
            queue: 'next',
            imageId: item.imageId,
            action,
            city: action === 'label' ? (city ?? null) : null,
          }),
        (result) => {
          setStatus(result.status);
          if (action !== 'skip') changed('labels');
        },
      );
    },
    [client, modelId, send, changed],
  );

  const undo = useCallback(() => {
    send(
      () => client.call('queue.undo', { modelId, queue: 'next' }),
      (result) => {
        setStatus(result.status);
        const undone = result.undone;
        if (undone === null) {
          setLast('Nothing to undo.');
          return;
        }
        changed('labels');
        const top = history.current[history.current.length - 1];
        if (top?.imageId === undone.imageId) {
          history.current.pop();
          done.current.delete(undone.imageId);
          setQueue((q) => [top, ...q.filter((i) => i.imageId !== top.imageId)]);
          setLast(`Undone: ${baseName(top.path)} is back.`);
        } else {
          setLast(`Undone (photo ${undone.imageId}).`);
        }
      },
    );
  }, [client, modelId, send, changed]);

  const rerank = useCallback(() => rank(status?.headVersion ?? 0), [rank, status]);

  return { queue, status, ranking, error, last, answer, undo, rerank };
}

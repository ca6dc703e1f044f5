import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type {
  GeoItem,
  GeoItemFilter,
  GeoItemOrder,
  GeoReviewAction,
} from '../../../shared/contract/geo-types';
import { errorData } from '../../app/errors';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { baseName } from '../library/format';
import {
  afterReview,
  afterUndo,
  EMPTY_QUEUE,
  hasMore,
  mergePage,
  move,
  nextOffset,
  undoTarget,
  withThreshold,
  type Queue,
} from './review-queue';

const PAGE = 100;
/** The next page is fetched when the photo on screen is this close to the end of the list. */
const LOOKAHEAD = 5;

export type ReviewQueue = {
  queue: Queue;
  current: GeoItem | null;
  state: 'loading' | 'ready' | 'error';
  error: AppErrorData | null;
  /** A review call is on its way: further actions wait, so one key press is one review. */
  busy: boolean;
  /** The last review done, in words, for the screen reader and the eye. */
  last: string | null;
  review: (action: Exclude<GeoReviewAction, 'undo'>, city?: string) => void;
  undo: () => void;
  step: (delta: number) => void;
  reload: () => void;
  /** The batch's threshold changed: re-flag the listed photos (or re-read an "unsure" list). */
  rethreshold: (unsureBelow: number) => void;
};

/** A batch's photos under a filter and order, and the reviews made through them. */
export function useReviewQueue(
  batchId: number,
  filter: GeoItemFilter,
  order: GeoItemOrder,
): ReviewQueue {
  const { client } = useStudio();
  const { changed } = useLibrary();
  const [queue, setQueue] = useState<Queue>(EMPTY_QUEUE);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<AppErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const loadingMore = useRef(false);
  const busyRef = useRef(false);

  useEffect(() => {
    let current = true;
    setState('loading');
    client.call('geo.items', { batchId, filter, order, offset: 0, limit: PAGE }).then(
      (page) => {
        if (!current) return;
        setQueue(mergePage(EMPTY_QUEUE, page));
        setState('ready');
        setError(null);
      },
      (e: unknown) => {
        if (!current) return;
        setState('error');
        setError(errorData(e));
      },
    );
    return () => {
      current = false;
    };
  }, [client, batchId, filter, order, nonce]);

  // Near the end of what is listed, fetch the next page (reviews may have shifted the offsets).
  useEffect(() => {
    if (state !== 'ready' || loadingMore.current) return;
    if (queue.index < queue.items.length - LOOKAHEAD || !hasMore(filter, queue)) return;
    loadingMore.current = true;
    const offset = nextOffset(filter, queue.items);
    client
      .call('geo.items', { batchId, filter, order, offset, limit: PAGE })
      .then(
        (page) => setQueue((q) => mergePage(q, page)),
        (e: unknown) => setError(errorData(e)),
      )
      .finally(() => {
        loadingMore.current = false;
      });
  }, [client, batchId, filter, order, queue, state]);

  const call = useCallback(
    (
      imageId: number,
      action: GeoReviewAction,
      city: string | null,
      after: (i: GeoItem) => void,
    ) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      client
        .call('geo.review', { batchId, imageId, action, city })
        .then(
          (item) => {
            after(item);
            setError(null);
            changed('labels');
          },
          (e: unknown) => setError(errorData(e)),
        )
        .finally(() => {
          busyRef.current = false;
          setBusy(false);
        });
    },
    [client, batchId, changed],
  );

  const current = queue.items[queue.index] ?? null;

  const review = useCallback(
    (action: Exclude<GeoReviewAction, 'undo'>, city?: string) => {
      if (current === null) return;
      if (action === 'accept' && current.predicted === null) return;
      call(current.imageId, action, action === 'correct' ? (city ?? null) : null, (item) => {
        setQueue((q) => afterReview(q, item));
        setLast(describe(item));
      });
    },
    [call, current],
  );

  const undo = useCallback(() => {
    const target = undoTarget(queue);
    if (target === null) {
      setLast('Nothing to undo.');
      return;
    }
    call(target, 'undo', null, (item) => {
      setQueue((q) => afterUndo(q, item));
      setLast(`Undone: ${baseName(item.path)} is pending again.`);
    });
  }, [call, queue]);

  const step = useCallback((delta: number) => setQueue((q) => move(q, delta)), []);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  const rethreshold = useCallback(
    (unsureBelow: number) => {
      if (filter === 'unsure') reload();
      else setQueue((q) => withThreshold(q, unsureBelow));
    },
    [filter, reload],
  );

  return { queue, current, state, error, busy, last, review, undo, step, reload, rethreshold };
}

function describe(item: GeoItem): string {
  const name = baseName(item.path);
  switch (item.review) {
    case 'accepted':
      return `Accepted ${item.reviewedCity ?? item.predicted ?? ''} for ${name}.`;
    case 'corrected':
      return `Corrected ${name} to ${item.reviewedCity ?? ''}.`;
    case 'skipped':
      return `Skipped ${name}.`;
    case 'pending':
      return `${name} is pending.`;
  }
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { filtersKey, listParams, type ImageFilters } from './filters';

export const PAGE_SIZE = 120;
const MAX_PAGE = 1000;

export type ImagePages = {
  items: ImageSummary[];
  total: number;
  hasMore: boolean;
  state: 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: AppErrorData | null;
  loadMore: () => void;
};

/**
 * Keyset-paged image list. A filter change starts over from the first page; a data change (label,
 * import, split) reloads as many images as are shown, so the grid keeps its place.
 */
export function useImagePages(filters: ImageFilters, dataKey: string): ImagePages {
  const { client } = useStudio();
  const [items, setItems] = useState<ImageSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<number | null>(null);
  const [state, setState] = useState<ImagePages['state']>('loading');
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const request = useRef(0);
  const shown = useRef(0);
  const lastFilters = useRef('');
  shown.current = items.length;

  const key = filtersKey(filters);
  useEffect(() => {
    const id = ++request.current;
    const sameFilters = lastFilters.current === key;
    lastFilters.current = key;
    const limit = sameFilters ? Math.min(MAX_PAGE, Math.max(PAGE_SIZE, shown.current)) : PAGE_SIZE;
    setState('loading');
    setError(null);
    client.call('images.list', listParams(filters, null, limit)).then(
      (page) => {
        if (id !== request.current) return;
        setItems(page.items);
        setTotal(page.total);
        setCursor(page.nextCursor);
        setState('ready');
      },
      (e: unknown) => {
        if (id !== request.current) return;
        setError(errorData(e));
        setState('error');
      },
    );
    // `filters` is represented by `key`: re-running on object identity would refetch needlessly.
  }, [client, key, dataKey]);

  const loadMore = useCallback(() => {
    if (cursor === null || loadingMore || state !== 'ready') return;
    const id = request.current;
    setLoadingMore(true);
    client.call('images.list', listParams(filters, cursor, PAGE_SIZE)).then(
      (page) => {
        setLoadingMore(false);
        if (id !== request.current) return;
        setItems((all) => [...all, ...page.items]);
        setTotal(page.total);
        setCursor(page.nextCursor);
      },
      (e: unknown) => {
        setLoadingMore(false);
        if (id === request.current) setError(errorData(e));
      },
    );
  }, [client, cursor, filters, loadingMore, state]);

  return { items, total, hasMore: cursor !== null, state, loadingMore, error, loadMore };
}

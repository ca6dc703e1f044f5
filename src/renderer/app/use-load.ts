import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../shared/contract/errors';
import { errorData } from './errors';

export type Load<T> =
  | { state: 'loading'; value: T | null; error: null }
  | { state: 'ready'; value: T; error: null }
  | { state: 'error'; value: T | null; error: AppErrorData };

/**
 * Runs `load` whenever `key` changes and keeps the latest answer. An answer to an older key is
 * dropped, so a slow response never overwrites a newer one. The previous value stays visible while
 * reloading, which keeps tables from flickering.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Load<T> & { reload(): void } {
  const [result, setResult] = useState<Load<T>>({ state: 'loading', value: null, error: null });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setResult((r) => ({ state: 'loading', value: r.value, error: null }));
    loadRef.current().then(
      (value) => {
        if (current) setResult({ state: 'ready', value, error: null });
      },
      (error: unknown) => {
        if (current)
          setResult((r) => ({ state: 'error', value: r.value, error: errorData(error) }));
      },
    );
    return () => {
      current = false;
    };
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...result, reload };
}

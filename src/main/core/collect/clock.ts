/** Time as the collectors see it: tests pass a fake one so no test waits on the wall clock. */
export type Clock = {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
};

/** A sleep that ends early (rejecting with an AbortError) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const realClock: Clock = { now: () => Date.now(), sleep };

export function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}

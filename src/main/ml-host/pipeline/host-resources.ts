// Sharing inside one ML host process, where several ops may be in flight (a train job's feature
// pass next to an evaluation, say). Two hazards: disposing a cached model while another op still
// runs it, and switching the process-global tfjs backend (stage 2's cpu fallback) under an op
// that is computing on wasm. SharedCache counts users; TensorLock is a readers-writer lock.

/**
 * Keeps the most recently requested value (a loaded backbone or model). A value replaced or
 * released while ops still use it is disposed when the last of them is done.
 */
export class SharedCache<T extends { dispose(): void }> {
  private current: Entry<T> | null = null;

  async use<R>(key: string, load: () => Promise<T>, fn: (value: T) => Promise<R> | R): Promise<R> {
    if (this.current?.key !== key) {
      this.release();
      const entry: Entry<T> = { key, value: load(), loaded: null, users: 0, stale: false };
      this.current = entry;
      entry.value.then(
        (v) => (entry.loaded = v),
        // A failed load must not stay cached.
        () => {
          if (this.current === entry) this.current = null;
        },
      );
    }
    const entry = this.current;
    entry.users++;
    try {
      return await fn(await entry.value);
    } finally {
      entry.users--;
      if (entry.stale && entry.users === 0) dispose(entry);
    }
  }

  /** Drops the cached value: now, or when the last op using it is done. */
  release(): void {
    const entry = this.current;
    this.current = null;
    if (entry === null) return;
    entry.stale = true;
    if (entry.users === 0) dispose(entry);
  }
}

type Entry<T> = {
  key: string;
  value: Promise<T>;
  /** The value once loaded, so a release disposes it at once (tensors freed before it returns). */
  loaded: T | null;
  users: number;
  stale: boolean;
};

function dispose<T extends { dispose(): void }>(entry: Entry<T>): void {
  if (entry.loaded !== null) {
    entry.loaded.dispose();
    return;
  }
  entry.value.then(
    (v) => v.dispose(),
    () => undefined,
  );
}

/**
 * Ops computing on the process backend hold the lock shared; a step that switches the backend
 * (withBackend('cpu', ...)) holds it exclusively, after the shared holders finish and before any
 * new one starts.
 */
export class TensorLock {
  private readers = 0;
  private writer = false;
  private readonly queue: { exclusive: boolean; start: () => void }[] = [];

  shared<R>(fn: () => Promise<R>): Promise<R> {
    return this.run(false, fn);
  }

  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    return this.run(true, fn);
  }

  private async run<R>(exclusive: boolean, fn: () => Promise<R>): Promise<R> {
    await new Promise<void>((start) => {
      this.queue.push({ exclusive, start });
      this.pump();
    });
    try {
      return await fn();
    } finally {
      if (exclusive) this.writer = false;
      else this.readers--;
      this.pump();
    }
  }

  /** Starts waiting holders in order: readers together, a writer alone. */
  private pump(): void {
    while (this.queue.length > 0 && !this.writer) {
      const next = this.queue[0]!;
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.writer = true;
      } else {
        this.readers++;
      }
      this.queue.shift();
      next.start();
    }
  }
}

/** The host's one lock for tensor work. */
export const tensorLock = new TensorLock();

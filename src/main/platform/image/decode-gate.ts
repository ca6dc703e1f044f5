/**
 * Lets image decodes run side by side, or one decode run alone.
 *
 * libvips keeps a single error buffer per process: when a decode fails while others are in
 * flight, its message is often wiped ("Unknown error"). Decoding a failed file once more, alone,
 * gives the real reason (for example "premature end of data segment") so the import can tell a
 * truncated photo from an unsupported one. Failures are rare, so waiting for the others costs
 * nothing on a healthy library.
 */
export class DecodeGate {
  private inFlight = 0;
  private soloTurn: Promise<void> | null = null;
  private drainWaiters: (() => void)[] = [];

  /** Runs work alongside other shared work, but never while solo work runs. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.soloTurn) await this.soloTurn;
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.drainWaiters.splice(0)) wake();
    }
  }

  /** Waits until no other work runs, then runs work with nothing else started meanwhile. */
  async solo<T>(work: () => Promise<T>): Promise<T> {
    while (this.soloTurn) await this.soloTurn;
    let release = (): void => undefined;
    this.soloTurn = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      if (this.inFlight > 0) await new Promise<void>((wake) => this.drainWaiters.push(wake));
      return await work();
    } finally {
      this.soloTurn = null;
      release();
    }
  }

  /** Number of shared jobs running now (for tests). */
  get running(): number {
    return this.inFlight;
  }
}

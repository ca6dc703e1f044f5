// How long the running part of a training job still needs, from its progress events. A train job
// reports progress per phase: feature extraction ("Features: 3/40 images"), then each stage over
// all its batches ("Stage 1, epoch 4" with done/total counted across the stage's epochs). The
// estimate covers the current phase only: stage 2's speed is unknown until it starts (and early
// stopping can end a stage sooner), so it is honest to say "left in stage 1".

export type ProgressSample = { at: number; done: number; total: number; message: string | null };

export type Eta = {
  /** The phase the estimate is for, e.g. "Stage 1" or "Features". */
  phase: string;
  /** Milliseconds until the phase ends, counted from `now`. */
  remainingMs: number;
  /** Share of the phase done, 0..1. */
  fraction: number;
};

/** Samples kept per phase: enough for a steady rate, bounded for a run of 1000 epochs. */
const MAX_SAMPLES = 120;
/** The rate is measured over at most the last minute, so it follows a run that speeds up. */
const WINDOW_MS = 60_000;
/** Less than this much measured time gives a rate too noisy to show (first batches warm up). */
const MIN_ELAPSED_MS = 1_500;

/** "Stage 1, epoch 4" → "Stage 1"; "Features: 3/40 images" → "Features"; null → "". */
export function phaseOf(message: string | null): string {
  if (message === null) return '';
  return message.split(/[,:]/)[0]?.trim() ?? '';
}

/**
 * Adds one progress event. A new phase (or a new total, e.g. after a resume) starts the list over,
 * since the speed of one phase says nothing about the next.
 */
export function addSample(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
): ProgressSample[] {
  const last = samples[samples.length - 1];
  const samePhase =
    last !== undefined &&
    phaseOf(last.message) === phaseOf(sample.message) &&
    last.total === sample.total &&
    sample.done >= last.done;
  return samePhase ? [...samples, sample].slice(-MAX_SAMPLES) : [sample];
}

/** The estimate at `now`, or null while there is not enough to go on (or nothing to count). */
export function estimateEta(samples: readonly ProgressSample[], now: number): Eta | null {
  const last = samples[samples.length - 1];
  if (last === undefined || last.total <= 0) return null;
  const inWindow = samples.filter((s) => s.at >= last.at - WINDOW_MS);
  const first = inWindow[0] ?? last;
  const elapsed = last.at - first.at;
  const advanced = last.done - first.done;
  if (elapsed < MIN_ELAPSED_MS || advanced <= 0) return null;
  const msPerUnit = elapsed / advanced;
  const sinceLast = Math.max(0, now - last.at);
  return {
    phase: phaseOf(last.message),
    remainingMs: Math.max(0, (last.total - last.done) * msPerUnit - sinceLast),
    fraction: Math.min(1, last.done / last.total),
  };
}

/** A remaining time in the words a person uses: "about 3 min", "about 1 h 20 min". */
export function formatRemaining(ms: number): string {
  if (ms < 10_000) return 'a few seconds';
  const seconds = Math.round(ms / 10_000) * 10;
  if (seconds < 60) return `about ${seconds} s`;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest === 0 ? '' : ` ${rest} min`}`;
}

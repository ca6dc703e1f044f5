import { useEffect, useState } from 'react';
import type { JobState } from '../../ui/job-state';
import { addSample, estimateEta, formatRemaining, type ProgressSample } from './eta';

/**
 * Time left in the running phase of a training job. It keeps its own samples and one-second
 * clock, so the countdown re-renders this line only, not the charts around it.
 */
export function TrainEta(props: { jobId: string | null; progress: JobState<unknown>['progress'] }) {
  const { jobId, progress } = props;
  const [samples, setSamples] = useState<ProgressSample[]>([]);
  const [now, setNow] = useState(() => Date.now());

  // Another job (a new run or a resume) measures its own speed from scratch.
  useEffect(() => setSamples([]), [jobId]);

  // Every progress event is a new object, so this runs once per event.
  useEffect(() => {
    if (progress !== null) setSamples((s) => addSample(s, { ...progress, at: Date.now() }));
  }, [progress]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);

  const eta = estimateEta(samples, now);
  if (eta === null) {
    return (
      <p className="muted small train-eta" data-testid="train-eta" data-ms="">
        Estimating the time left…
      </p>
    );
  }
  const endsAt = new Date(now + eta.remainingMs).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <p
      className="muted small train-eta"
      data-testid="train-eta"
      data-ms={Math.round(eta.remainingMs)}
      data-phase={eta.phase}
      title="Measured from the speed of the last minute; a later stage or early stopping changes it."
    >
      {eta.phase === '' ? 'This step' : eta.phase}: {formatRemaining(eta.remainingMs)} left (around{' '}
      {endsAt}) · {Math.round(eta.fraction * 100)}% done
    </p>
  );
}

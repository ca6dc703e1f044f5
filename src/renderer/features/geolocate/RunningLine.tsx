import { useEffect, useState } from 'react';
import { etaText } from './batch-words';
import type { RunningJob } from './use-geo-batches';

/**
 * A running job's bar, its progress message and the time left. It keeps its own one-second clock,
 * so the countdown re-renders this line only.
 */
export function RunningLine(props: { job: RunningJob; onCancel: () => void }) {
  const { job } = props;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);
  const eta = etaText(job.samples, now, job.message);
  return (
    <div className="geo-running" data-testid="geo-running" data-job-id={job.jobId}>
      <progress
        max={job.total > 0 ? job.total : undefined}
        value={job.total > 0 ? job.done : undefined}
        aria-label="Geolocation progress"
      />
      <span className="muted small">
        {job.total > 0 ? `${job.done} / ${job.total}` : 'Starting…'}
        {job.message !== null && ` · ${job.message}`}
        {eta !== null && <span data-testid="geo-eta"> · {eta}</span>}
      </span>
      <button type="button" className="small" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

import { useEffect, useRef } from 'react';
import type { LogLine } from '../../ui/job-state';

/** The job's log lines, newest at the bottom, kept scrolled to the end while it runs. */
export function LogPanel(props: { logs: readonly LogLine[]; progress: string | null }) {
  const ref = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const list = ref.current;
    if (list !== null) list.scrollTop = list.scrollHeight;
  }, [props.logs.length]);
  return (
    <div className="ml-log" data-testid="train-log">
      {props.progress !== null && (
        <p className="small ml-log-progress" data-testid="train-progress">
          {props.progress}
        </p>
      )}
      {props.logs.length === 0 ? (
        <p className="muted small">No log lines yet.</p>
      ) : (
        <ol ref={ref} className="plain-list ml-log-lines" aria-label="Training log">
          {props.logs.map((l, i) => (
            <li key={i} className={`ml-log-${l.level}`} data-level={l.level}>
              <time className="muted">{new Date(l.at).toLocaleTimeString()}</time> {l.message}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

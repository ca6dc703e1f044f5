import { useMlInfo } from '../../ui/use-ml-lists';
import { ErrorLine } from '../../ui/ErrorLine';

/** Which TensorFlow.js backend trains and predicts, and why it was chosen. */
export function BackendCard() {
  const info = useMlInfo();
  const b = info.value?.backend ?? null;
  return (
    <section
      className="card"
      aria-labelledby="backend-title"
      data-testid="backend-card"
      data-state={info.state}
    >
      <h2 id="backend-title">Compute backend</h2>
      {info.error !== null && <ErrorLine error={info.error} />}
      {b === null ? (
        info.state === 'loading' && <p className="muted">Starting the ML host…</p>
      ) : (
        <>
          <dl className="ml-facts">
            <div>
              <dt>Backend</dt>
              <dd data-testid="backend-name">{b.name}</dd>
            </div>
            <div>
              <dt>Package</dt>
              <dd>
                <code>{b.package}</code>
              </dd>
            </div>
            <div>
              <dt>GPU</dt>
              <dd data-testid="backend-gpu">{b.gpu ? 'yes' : 'no'}</dd>
            </div>
            <div>
              <dt>Fine-tuning (conv gradients)</dt>
              <dd data-testid="backend-conv">
                {b.convGradients ? 'native' : 'through the CPU backend (slower)'}
              </dd>
            </div>
            {info.value?.hostPid !== null && info.value?.hostPid !== undefined && (
              <div>
                <dt>ML host process</dt>
                <dd className="mono">pid {info.value.hostPid}</dd>
              </div>
            )}
          </dl>
          <p className="ml-reason" data-testid="backend-reason">
            {b.reason}
          </p>
          {b.attempts.length > 0 && (
            <details className="ml-details">
              <summary>What was tried ({b.attempts.length})</summary>
              <ul className="plain-list ml-attempts">
                {b.attempts.map((a) => (
                  <li key={a.candidate}>
                    <span className={a.ok ? 'ml-ok' : 'ml-bad'}>{a.ok ? '✓' : '✗'}</span>{' '}
                    <code>{a.candidate}</code> <span className="muted">{a.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

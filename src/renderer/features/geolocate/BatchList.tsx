import { useState } from 'react';
import type { GeoBatchSummary } from '../../../shared/contract/geo-types';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { formatTime } from '../library/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { navigate } from '../../ui/nav';
import { accuracyText, batchState, canResume, countChips, predictedText } from './batch-words';
import { RunningLine } from './RunningLine';
import type { GeoBatches } from './use-geo-batches';
import { Card } from '../../ui/Card';

export type BatchPanelTab = 'review' | 'export';

/** Every batch of the library: progress, accuracy on GPS photos, review counts and actions. */
export function BatchList(props: {
  batches: GeoBatches;
  selected: number | null;
  onOpen: (batchId: number, tab: BatchPanelTab) => void;
  onRemoved: (batchId: number) => void;
}) {
  const { batches } = props;
  const { client } = useStudio();
  const notify = useNotify();
  const [removing, setRemoving] = useState<GeoBatchSummary | null>(null);
  const list = batches.list.value ?? [];

  const act = (title: string, work: Promise<unknown>): void => {
    work.catch((e: unknown) => notify.error(title, e));
  };

  const remove = (b: GeoBatchSummary): void => {
    setRemoving(null);
    client.call('geo.remove', { batchId: b.id }).then(
      () => {
        notify.info('Batch removed', `${b.name}: its photos and labels stay in the library.`);
        props.onRemoved(b.id);
        batches.reload();
      },
      (e: unknown) => notify.error('Could not remove the batch', e),
    );
  };

  return (
    <Card titleId="geo-batches-title" title="Batches" testId="geo-batches">
      {batches.list.error !== null && <ErrorLine error={batches.list.error} />}
      {batches.list.state === 'ready' && list.length === 0 && (
        <p className="muted" data-testid="geo-batches-empty">
          No batch yet. Start one above: the photos are placed on the map and queued for review.
        </p>
      )}
      <ul className="plain-list geo-batch-list">
        {list.map((b) => {
          const job = b.lastJobId === null ? undefined : batches.running.get(b.lastJobId);
          const running = job !== undefined;
          const failure = b.lastJobId === null ? undefined : batches.failures.get(b.lastJobId);
          return (
            <li
              key={b.id}
              className={`geo-batch${props.selected === b.id ? ' geo-batch-on' : ''}`}
              data-testid="geo-batch"
              data-batch-id={b.id}
              data-state={batchState(b, running)}
              data-unsure-below={b.unsureBelow}
            >
              <div className="geo-batch-head">
                <strong className="geo-batch-name" title={b.sources.join('\n')}>
                  {b.name}
                </strong>
                <span className="muted small">
                  {b.modelId} · {formatTime(b.createdAt)} · unsure below{' '}
                  {Math.round(b.unsureBelow * 100)}%
                </span>
              </div>
              {job !== undefined ? (
                <RunningLine
                  job={job}
                  onCancel={() => act('Could not cancel', batches.cancel(job.jobId))}
                />
              ) : (
                <p className="small" data-testid="geo-predicted">
                  {predictedText(b)}
                  {b.counts.failed > 0 && (
                    <span className="muted"> · {b.counts.failed} could not be read</span>
                  )}
                </p>
              )}
              {failure !== undefined && <ErrorLine error={failure} />}
              <p className="small" data-testid="geo-accuracy">
                {b.counts.predicted === 0
                  ? 'The accuracy on photos with GPS shows as they are predicted.'
                  : accuracyText(b.accuracy)}
              </p>
              <ul className="plain-list geo-chips" aria-label="Review counts">
                {countChips(b.counts).map((c) => (
                  <li
                    key={c.key}
                    className={`geo-chip geo-chip-${c.key}`}
                    data-testid={`geo-count-${c.key}`}
                    data-count={c.value}
                  >
                    <span className="geo-chip-value">{c.value}</span> {c.label}
                  </li>
                ))}
              </ul>
              <div className="button-row">
                <button
                  type="button"
                  className="small primary"
                  onClick={() => props.onOpen(b.id, 'review')}
                  disabled={b.counts.predicted === 0}
                  data-testid="geo-review-open"
                >
                  Review
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() => props.onOpen(b.id, 'export')}
                  disabled={b.counts.predicted === 0}
                  data-testid="geo-export-open"
                >
                  Export
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() => navigate('map', { batch: String(b.id) })}
                  disabled={b.counts.predicted === 0}
                >
                  Show on map
                </button>
                {canResume(b, running) && (
                  <button
                    type="button"
                    className="small"
                    onClick={() => act('Could not resume', batches.resume(b.id))}
                    data-testid="geo-resume"
                  >
                    Resume
                  </button>
                )}
                <button
                  type="button"
                  className="small danger-outline"
                  onClick={() => setRemoving(b)}
                  disabled={running}
                >
                  Remove…
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {removing !== null && (
        <ConfirmDialog
          title={`Remove “${removing.name}”?`}
          confirmLabel="Remove batch"
          danger
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            The batch and its review states are forgotten. Its photos, their labels and the model’s
            predictions stay in the library.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

import { useState } from 'react';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { pct, when } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { navigate } from '../../ui/nav';
import { useModels } from '../../ui/use-ml-lists';
import { ModelBundleForms } from './ModelBundleForms';
import { UnknownAnswerControl } from './UnknownAnswerControl';

/** Models trained in (or imported into) this library, with export, import and remove. */
export function TrainedModelsCard() {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const models = useModels();
  const [removing, setRemoving] = useState<ModelSummary | null>(null);
  const [exportFor, setExportFor] = useState<string>('');

  const remove = (m: ModelSummary): void => {
    setRemoving(null);
    client.call('models.remove', { modelId: m.id }).then(
      () => {
        notify.info('Model removed', m.name);
        changed('models');
      },
      (error: unknown) => notify.error(`Could not remove ${m.name}`, error),
    );
  };

  const list = models.value ?? [];
  return (
    <section
      className="card"
      aria-labelledby="models-title"
      data-testid="models-card"
      data-state={models.state}
      data-count={list.length}
    >
      <h2 id="models-title">Trained models</h2>
      {models.error !== null && <ErrorLine error={models.error} />}
      {models.state === 'ready' && list.length === 0 ? (
        <p className="muted" data-testid="models-empty">
          No model yet. Train one in the Train view, or import a <code>.lpmodel</code> file below.
        </p>
      ) : (
        <table className="data-table" data-testid="models-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Backbone</th>
              <th scope="col">Fine-tuned</th>
              <th scope="col" className="num">
                Cities
              </th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" title="When the model says a photo is of none of its cities">
                Unknown answer
              </th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.id} data-testid="model-row" data-id={m.id} data-name={m.name}>
                <th scope="row">
                  {m.name}
                  <div className="muted small mono">{m.id}</div>
                </th>
                <td>{m.backbone}</td>
                <td>{m.fineTuned ? 'yes (stage 2)' : 'head only'}</td>
                <td className="num" title={m.classes.join(', ')}>
                  {m.classes.length}
                </td>
                <td className="num" data-col="accuracy">
                  {pct(m.accuracy)}
                  {m.accuracySplit !== null && (
                    <span className="muted small"> {m.accuracySplit}</span>
                  )}
                </td>
                <td>
                  <UnknownAnswerControl model={m} />
                </td>
                <td>{when(m.createdAt)}</td>
                <td className="ml-actions">
                  <button
                    type="button"
                    className="small"
                    onClick={() => navigate('evaluate', { model: m.id })}
                  >
                    Evaluate
                  </button>
                  <button
                    type="button"
                    className="small"
                    onClick={() => navigate('predict', { model: m.id })}
                  >
                    Predict
                  </button>
                  <button
                    type="button"
                    className="small"
                    onClick={() => {
                      setExportFor(m.id);
                      document.getElementById('export-path')?.focus();
                    }}
                  >
                    Export…
                  </button>
                  <button
                    type="button"
                    className="small danger-outline"
                    aria-label={`Remove model ${m.name}`}
                    onClick={() => setRemoving(m)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ModelBundleForms models={list} exportFor={exportFor} onExportFor={setExportFor} />
      {removing !== null && (
        <ConfirmDialog
          title={`Remove model ${removing.name}?`}
          confirmLabel="Remove model"
          danger
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            The model, its evaluations and its stored predictions are deleted. Export it first if
            you may want it back.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

import { useState } from 'react';
import type { BackboneSummary } from '../../../shared/contract/ml-types';
import { BUNDLED_BACKBONE } from '../../../shared/domain/bundled-backbone';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { when } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { useBackbones } from '../../ui/use-ml-lists';
import { BackboneImport } from './BackboneImport';

/** The pretrained networks features are computed with: list, import, download, remove. */
export function BackbonesCard() {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const [nonce, setNonce] = useState(0);
  const list = useBackbones(String(nonce));
  const [removing, setRemoving] = useState<BackboneSummary | null>(null);
  const reload = (): void => setNonce((n) => n + 1);

  const remove = (b: BackboneSummary): void => {
    setRemoving(null);
    client.call('backbones.remove', { name: b.name }).then(
      () => {
        notify.info('Backbone removed', b.name);
        changed('models');
        reload();
      },
      (error: unknown) => notify.error(`Could not remove ${b.name}`, error),
    );
  };

  const backbones = list.value ?? [];
  return (
    <section
      className="card"
      aria-labelledby="backbones-title"
      data-testid="backbones-card"
      data-state={list.state}
      data-count={backbones.length}
    >
      <h2 id="backbones-title">Backbones</h2>
      <p className="muted small">
        The pretrained network whose features the city classifier learns from (the paper fine-tunes
        an ImageNet CNN). Import a TensorFlow Lite file or a TF.js model folder, or download one.
      </p>
      {list.error !== null && <ErrorLine error={list.error} />}
      {list.state === 'ready' && backbones.length === 0 ? (
        <p className="muted" data-testid="backbones-empty">
          No backbone imported yet. The built-in {BUNDLED_BACKBONE.name} is imported the first time
          you cache features or train with it; import or download another one below.
        </p>
      ) : (
        <table className="data-table" data-testid="backbones-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col" className="num">
                Input
              </th>
              <th scope="col" className="num">
                Features
              </th>
              <th scope="col" className="num">
                Fine-tunable blocks
              </th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backbones.map((b) => (
              <tr key={b.name} data-testid="backbone-row" data-name={b.name}>
                <th scope="row">
                  {b.name}
                  <div className="muted small mono break" title={b.sha256}>
                    {b.source}
                  </div>
                </th>
                <td>{b.format}</td>
                <td className="num">
                  {b.inputSize}×{b.inputSize}
                </td>
                <td className="num" data-col="featureDim">
                  {b.featureDim}
                </td>
                <td className="num">{b.blockLayers.length}</td>
                <td>{when(b.createdAt)}</td>
                <td className="num">
                  <button
                    type="button"
                    className="small danger-outline"
                    aria-label={`Remove backbone ${b.name}`}
                    onClick={() => setRemoving(b)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BackboneImport
        existing={backbones.map((b) => b.name)}
        onAdded={() => {
          changed('models');
          reload();
        }}
      />
      {removing !== null && (
        <ConfirmDialog
          title={`Remove backbone ${removing.name}?`}
          confirmLabel="Remove backbone"
          danger
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            Its files and the features cached with it in this library are deleted. Models trained on
            it can evaluate and predict again once the same file is imported (checked by its
            sha256).
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

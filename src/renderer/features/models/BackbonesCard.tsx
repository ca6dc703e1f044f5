import { useState } from 'react';
import type { BackboneSummary } from '../../../shared/contract/ml-types';
import { BUNDLED_BACKBONE } from '../../../shared/domain/bundled-backbone';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ListCard } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
import { when } from '../../ui/format';
import { RemoveButton, useRemoveConfirm } from '../../ui/remove';
import { useBackbones } from '../../ui/use-ml-lists';
import { BackboneImport } from './BackboneImport';

function backboneColumns(onRemove: (b: BackboneSummary) => void): Column<BackboneSummary>[] {
  return [
    {
      header: 'Name',
      rowHeader: true,
      cell: (b) => (
        <>
          {b.name}
          <div className="muted small mono break" title={b.sha256}>
            {b.source}
          </div>
        </>
      ),
    },
    { header: 'Format', cell: (b) => b.format },
    { header: 'Input', num: true, cell: (b) => `${b.inputSize}×${b.inputSize}` },
    {
      header: 'Features',
      num: true,
      cellProps: () => ({ 'data-col': 'featureDim' }),
      cell: (b) => b.featureDim,
    },
    { header: 'Fine-tunable blocks', num: true, cell: (b) => b.blockLayers.length },
    { header: 'Added', cell: (b) => when(b.createdAt) },
    {
      header: 'Actions',
      hiddenHeader: true,
      num: true,
      cell: (b) => <RemoveButton label={`Remove backbone ${b.name}`} onClick={() => onRemove(b)} />,
    },
  ];
}

/** The pretrained networks features are computed with: list, import, download, remove. */
export function BackbonesCard() {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const [nonce, setNonce] = useState(0);
  const list = useBackbones(String(nonce));
  const reload = (): void => setNonce((n) => n + 1);
  const removal = useRemoveConfirm<BackboneSummary>({
    title: (b) => `Remove backbone ${b.name}?`,
    confirmLabel: 'Remove backbone',
    body: () => (
      <p>
        Its files and the features cached with it in this library are deleted. Models trained on it
        can evaluate and predict again once the same file is imported (checked by its sha256).
      </p>
    ),
    onRemove: (b) => {
      client.call('backbones.remove', { name: b.name }).then(
        () => {
          notify.info('Backbone removed', b.name);
          changed('models');
          reload();
        },
        (error: unknown) => notify.error(`Could not remove ${b.name}`, error),
      );
    },
  });

  return (
    <ListCard
      titleId="backbones-title"
      title="Backbones"
      testId="backbones-card"
      list={list}
      emptyOnlyWhenReady
      intro={
        <p className="muted small">
          The pretrained network whose features the city classifier learns from (the paper
          fine-tunes an ImageNet CNN). Import a TensorFlow Lite file or a TF.js model folder, or
          download one.
        </p>
      }
      empty={
        <p className="muted" data-testid="backbones-empty">
          No backbone imported yet. The built-in {BUNDLED_BACKBONE.name} is imported the first time
          you cache features or train with it; import or download another one below.
        </p>
      }
      after={
        <>
          <BackboneImport
            existing={(list.value ?? []).map((b) => b.name)}
            onAdded={() => {
              changed('models');
              reload();
            }}
          />
          {removal.dialog}
        </>
      }
    >
      {(backbones) => (
        <DataTable
          testId="backbones-table"
          columns={backboneColumns(removal.ask)}
          rows={backbones}
          rowKey={(b) => b.name}
          rowProps={(b) => ({ 'data-testid': 'backbone-row', 'data-name': b.name })}
        />
      )}
    </ListCard>
  );
}

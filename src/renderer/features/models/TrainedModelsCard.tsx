import { useState } from 'react';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ListCard } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
import { pct, when } from '../../ui/format';
import { navigate } from '../../ui/nav';
import { RemoveButton, useRemoveConfirm } from '../../ui/remove';
import { useModels } from '../../ui/use-ml-lists';
import { ModelBundleForms } from './ModelBundleForms';
import { UnknownAnswerControl } from './UnknownAnswerControl';

function ModelActions(props: { model: ModelSummary; onExport: () => void; onRemove: () => void }) {
  const m = props.model;
  return (
    <>
      <button type="button" className="small" onClick={() => navigate('evaluate', { model: m.id })}>
        Evaluate
      </button>
      <button type="button" className="small" onClick={() => navigate('predict', { model: m.id })}>
        Predict
      </button>
      <button type="button" className="small" onClick={props.onExport}>
        Export…
      </button>
      <RemoveButton label={`Remove model ${m.name}`} onClick={props.onRemove} />
    </>
  );
}

function modelColumns(
  onExport: (m: ModelSummary) => void,
  onRemove: (m: ModelSummary) => void,
): Column<ModelSummary>[] {
  return [
    {
      header: 'Name',
      rowHeader: true,
      cell: (m) => (
        <>
          {m.name}
          <div className="muted small mono">{m.id}</div>
        </>
      ),
    },
    { header: 'Backbone', cell: (m) => m.backbone },
    { header: 'Fine-tuned', cell: (m) => (m.fineTuned ? 'yes (stage 2)' : 'head only') },
    {
      header: 'Cities',
      num: true,
      cellProps: (m) => ({ title: m.classes.join(', ') }),
      cell: (m) => m.classes.length,
    },
    {
      header: 'Accuracy',
      num: true,
      cellProps: () => ({ 'data-col': 'accuracy' }),
      cell: (m) => (
        <>
          {pct(m.accuracy)}
          {m.accuracySplit !== null && <span className="muted small"> {m.accuracySplit}</span>}
        </>
      ),
    },
    {
      header: 'Unknown answer',
      title: 'When the model says a photo is of none of its cities',
      cell: (m) => <UnknownAnswerControl model={m} />,
    },
    { header: 'Created', cell: (m) => when(m.createdAt) },
    {
      header: 'Actions',
      hiddenHeader: true,
      className: 'ml-actions',
      cell: (m) => (
        <ModelActions model={m} onExport={() => onExport(m)} onRemove={() => onRemove(m)} />
      ),
    },
  ];
}

/** Models trained in (or imported into) this library, with export, import and remove. */
export function TrainedModelsCard() {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const models = useModels();
  const [exportFor, setExportFor] = useState<string>('');
  const removal = useRemoveConfirm<ModelSummary>({
    title: (m) => `Remove model ${m.name}?`,
    confirmLabel: 'Remove model',
    body: () => (
      <p>
        The model, its evaluations and its stored predictions are deleted. Export it first if you
        may want it back.
      </p>
    ),
    onRemove: (m) => {
      client.call('models.remove', { modelId: m.id }).then(
        () => {
          notify.info('Model removed', m.name);
          changed('models');
        },
        (error: unknown) => notify.error(`Could not remove ${m.name}`, error),
      );
    },
  });
  const exportModel = (m: ModelSummary): void => {
    setExportFor(m.id);
    document.getElementById('export-path')?.focus();
  };

  return (
    <ListCard
      titleId="models-title"
      title="Trained models"
      testId="models-card"
      list={models}
      emptyOnlyWhenReady
      empty={
        <p className="muted" data-testid="models-empty">
          No model yet. Train one in the Train view, or import a <code>.lpmodel</code> file below.
        </p>
      }
      after={
        <>
          <ModelBundleForms
            models={models.value ?? []}
            exportFor={exportFor}
            onExportFor={setExportFor}
          />
          {removal.dialog}
        </>
      }
    >
      {(list) => (
        <DataTable
          testId="models-table"
          columns={modelColumns(exportModel, removal.ask)}
          rows={list}
          rowKey={(m) => m.id}
          rowProps={(m) => ({ 'data-testid': 'model-row', 'data-id': m.id, 'data-name': m.name })}
        />
      )}
    </ListCard>
  );
}

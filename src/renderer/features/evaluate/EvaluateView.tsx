import { useMemo, useState } from 'react';
import type { ParamsIn } from '../../../shared/contract/methods';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { isActive } from '../../ui/job-state';
import { JobStatus } from '../../ui/JobStatus';
import { NeedsModel } from '../../ui/ModelPicker';
import { hashParam } from '../../ui/nav';
import { useModelChoice } from '../../ui/use-model-choice';
import { useJob } from '../../ui/use-job';
import { CompareEvaluations } from './CompareEvaluations';
import { DomainShiftCard } from './DomainShiftCard';
import { EvaluateForm } from './EvaluateForm';
import { EvaluationReportView } from './EvaluationReport';
import { EvaluationsList } from './EvaluationsList';
import '../../ui/ml.css';
import './evaluate.css';

/** Measure a model the way the paper did: accuracy with intervals, per city, confusions. */
export function EvaluateView() {
  const { client } = useStudio();
  const { changed } = useLibrary();
  const { models, list, modelId, model, pick } = useModelChoice(() => hashParam('model'));

  const [nonce, setNonce] = useState(0);
  const [shownId, setShownId] = useState<number | null>(null);
  const evaluations = useLoad(
    () =>
      modelId === ''
        ? Promise.resolve([])
        : client
            .call('evaluations.list', { modelId })
            .then((all) =>
              [...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id),
            ),
    `${modelId}:${nonce}`,
  );
  const job = useJob('evaluate.start', (result) => {
    setShownId(result.id);
    setNonce((n) => n + 1);
    changed('models');
  });

  const items = useMemo(() => evaluations.value ?? [], [evaluations.value]);
  const current =
    job.state.result !== null && job.state.result.id === shownId
      ? job.state.result
      : (items.find((e) => e.id === shownId) ?? items[0] ?? null);

  const start = (params: ParamsIn<'evaluate.start'>): void => {
    void job.start(params);
  };

  return (
    <section className="view ml-view" aria-labelledby="evaluate-title">
      <header className="view-header">
        <h1 id="evaluate-title">Evaluate</h1>
        <p className="muted">
          Accuracy is the share of photos whose top-1 city is right; every proportion carries its
          Wilson 95% interval, since test sets of a few hundred photos leave real uncertainty.
        </p>
      </header>
      <NeedsModel models={models} emptyTestId="evaluate-empty">
        <EvaluateForm
          models={list}
          modelId={modelId}
          onModel={(id) => {
            pick(id);
            setShownId(null);
          }}
          busy={isActive(job.state.phase)}
          onStart={start}
        />
      </NeedsModel>
      <JobStatus
        state={job.state}
        label="Evaluation"
        testId="evaluate-status"
        onCancel={job.cancel}
      />
      {modelId !== '' && (
        <EvaluationsList list={evaluations} shownId={current?.id ?? null} onShow={setShownId} />
      )}
      {model !== null && evaluations.value !== null && (
        <DomainShiftCard model={model} evaluations={items} />
      )}
      {current !== null && current.modelId === modelId && (
        <EvaluationReportView evaluation={current} modelName={model?.name ?? current.modelId} />
      )}
      {list.length > 0 && <CompareEvaluations models={list} refresh={nonce} />}
    </section>
  );
}

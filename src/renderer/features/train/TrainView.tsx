import { useEffect, useState } from 'react';
import type { ParamsIn } from '../../../shared/contract/methods';
import type { RunSummary } from '../../../shared/contract/ml-types';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { isActive } from '../../ui/job-state';
import { ErrorLine } from '../../ui/ErrorLine';
import { JobStatus } from '../../ui/JobStatus';
import { useBackbones, useMlInfo } from '../../ui/use-ml-lists';
import { useJob } from '../../ui/use-job';
import { LogPanel } from './LogPanel';
import { PastRuns } from './PastRuns';
import { RunSummaryCard } from './RunSummaryCard';
import { TrainEta } from './TrainEta';
import { TrainForm } from './TrainForm';
import { TrainingCurves } from './TrainingCurves';
import '../../ui/ml.css';
import './train.css';

/** Train a city classifier on the train split, watching loss and accuracy live per epoch. */
export function TrainView() {
  const { client } = useStudio();
  const notify = useNotify();
  const { changed } = useLibrary();
  const backbones = useBackbones();
  const info = useMlInfo();
  const [runsNonce, setRunsNonce] = useState(0);
  const runsKey = useRevisionKey('opened', 'models');
  const runs = useLoad(() => client.call('runs.list', {}), `${runsKey}:${runsNonce}`);
  const [shown, setShown] = useState<string | null>(null);
  const job = useJob('train.start', (result) => {
    notify.info('Training finished', `Model ${result.modelId}`);
    changed('models');
  });
  const { state, attach } = job;

  // Every outcome (done, failed, cancelled) changes the run's row in the list.
  const ended = state.phase === 'done' || state.phase === 'failed' || state.phase === 'cancelled';
  useEffect(() => {
    if (ended) setRunsNonce((n) => n + 1);
  }, [ended, state.jobId]);

  // A run started before this view opened (or from another door) is followed, not forgotten.
  const [checkedRunning, setCheckedRunning] = useState(false);
  useEffect(() => {
    if (checkedRunning || runs.value === null) return;
    setCheckedRunning(true);
    const running = runs.value.find((r) => r.status === 'running' || r.status === 'queued');
    if (running !== undefined && state.phase === 'idle') attach(running.jobId, running.epochs);
  }, [checkedRunning, runs.value, state.phase, attach]);

  const start = (params: ParamsIn<'train.start'>): void => {
    setShown(null);
    void job.start(params).then((jobId) => {
      if (jobId !== null) setRunsNonce((n) => n + 1);
    });
  };

  // The core takes the settings, data and checkpoints from the stopped run; the name is required
  // by the contract but not used for a resume.
  const resume = (run: RunSummary): void => start({ name: run.name, resumeJobId: run.jobId });

  // The finished run as the library stored it: backend, classes and class counts.
  const finishedRun = useLoad(
    () =>
      state.phase === 'done' && state.jobId !== null
        ? client.call('runs.get', { jobId: state.jobId })
        : Promise.resolve(null),
    `${state.phase}:${state.jobId ?? ''}`,
  );
  const busy = isActive(state.phase);
  const pastRun = runs.value?.find((r) => r.jobId === shown) ?? null;
  const progress =
    state.progress === null
      ? null
      : `${state.progress.message ?? ''}${state.progress.total > 0 ? ` (${state.progress.done} / ${state.progress.total})` : ''}`;

  return (
    <section className="view ml-view" aria-labelledby="train-title">
      <header className="view-header">
        <h1 id="train-title">Train</h1>
        <p className="muted">
          Stage 1 trains a softmax head on cached backbone features of the train split; stage 2
          fine-tunes the last block. The validation split picks the best epoch and drops the rate.
        </p>
      </header>
      {backbones.error !== null && <ErrorLine error={backbones.error} />}
      <TrainForm
        key={backbones.value === null ? 'loading' : 'ready'}
        backbones={backbones.value ?? []}
        backend={info.value?.backend ?? null}
        busy={busy}
        onStart={start}
      />
      {state.phase !== 'idle' && (
        <section
          className="card"
          aria-labelledby="live-title"
          data-testid="train-live"
          data-phase={state.phase}
        >
          <div className="ml-card-head">
            <h2 id="live-title">
              {busy ? 'Training' : 'Last run'}{' '}
              <span className={`ml-pill ml-pill-${state.phase}`} data-testid="train-phase">
                {state.phase}
              </span>
            </h2>
            {busy && state.jobId !== null && (
              <button type="button" onClick={job.cancel} data-testid="train-cancel">
                Cancel training
              </button>
            )}
          </div>
          <JobStatus state={state} label="Training" testId="train-status" />
          {busy && <TrainEta jobId={state.jobId} progress={state.progress} />}
          <TrainingCurves epochs={state.epochs} summaries={state.result?.summaries ?? []} />
          <LogPanel logs={state.logs} progress={busy ? progress : null} />
        </section>
      )}
      {state.result !== null && (
        <RunSummaryCard
          modelId={state.result.modelId}
          summaries={state.result.summaries}
          validation={state.result.validation}
          backend={finishedRun.value?.backend ?? info.value?.backend ?? null}
          classes={finishedRun.value?.classes}
          classCounts={finishedRun.value?.classCounts}
        />
      )}
      <PastRuns runs={runs} selected={shown} onSelect={setShown} busy={busy} onResume={resume} />
      {pastRun !== null && (
        <section className="card" aria-labelledby="past-run-title" data-testid="past-run">
          <h2 id="past-run-title">
            {pastRun.name} <span className="muted small">{pastRun.jobId}</span>
          </h2>
          <TrainingCurves epochs={pastRun.epochs} summaries={pastRun.summaries} idPrefix="run" />
          {pastRun.summaries.length > 0 && (
            <RunSummaryCard
              modelId={pastRun.modelId}
              summaries={pastRun.summaries}
              validation={null}
              backend={pastRun.backend}
              classes={pastRun.classes}
              classCounts={pastRun.classCounts}
              idPrefix="past-run-summary"
            />
          )}
        </section>
      )}
    </section>
  );
}

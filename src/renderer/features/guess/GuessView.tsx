import { useState } from 'react';
import type { ReactNode } from 'react';
import type { StudySummary } from '../../../shared/contract/study-types';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { PAPER_ACCURACY, PAPER_HUMAN_ACCURACY, pct } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { useModels } from '../../ui/use-ml-lists';
import { NewStudyForm } from './NewStudyForm';
import { PlayView } from './PlayView';
import { ResultsView } from './ResultsView';
import { StudiesList } from './StudiesList';
import '../../ui/ml.css';
import './guess.css';

type Screen =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'play'; study: StudySummary }
  | { kind: 'results'; study: StudySummary };

/** Human-versus-model studies: create one, let people play it, compare them with the model. */
export function GuessView() {
  const { client } = useStudio();
  const { cities } = useLibrary();
  const models = useModels();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [nonce, setNonce] = useState(0);
  const [jobs, setJobs] = useState<ReadonlyMap<number, string>>(new Map());
  const key = `${useRevisionKey('opened', 'models')}:${nonce}:${screen.kind}`;
  const studies = useLoad(() => client.call('study.list', {}), key);
  const list = studies.value ?? [];
  const reload = () => setNonce((n) => n + 1);
  const find = (id: number) => list.find((s) => s.id === id);

  if (screen.kind === 'play')
    return (
      <Frame>
        <PlayView
          study={screen.study}
          onExit={() => setScreen({ kind: 'list' })}
          onResults={() => setScreen({ kind: 'results', study: screen.study })}
        />
      </Frame>
    );
  if (screen.kind === 'results')
    return (
      <Frame>
        <ResultsView study={screen.study} onBack={() => setScreen({ kind: 'list' })} />
      </Frame>
    );

  return (
    <Frame>
      {studies.error !== null && <ErrorLine error={studies.error} />}
      {screen.kind === 'new' ? (
        <NewStudyForm
          models={models.value ?? []}
          libraryCities={cities.map((c) => c.name)}
          onCancel={() => setScreen({ kind: 'list' })}
          onCreated={(study) => {
            if (study.predictJobId !== null)
              setJobs((m) => new Map(m).set(study.id, study.predictJobId ?? ''));
            setScreen({ kind: 'list' });
          }}
        />
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="primary"
            onClick={() => setScreen({ kind: 'new' })}
            data-testid="study-new"
          >
            New study
          </button>
        </div>
      )}
      {studies.state !== 'loading' && list.length === 0 && screen.kind === 'list' && (
        <div className="card empty-state" data-testid="guess-empty">
          <p>No study yet.</p>
          <p className="muted">
            A study runs a human-versus-model comparison: people guess the city of each photo, then
            see how they compare with the model (in the paper, people got{' '}
            {pct(PAPER_HUMAN_ACCURACY)} right and the model {pct(PAPER_ACCURACY)}). Create one with
            “New study”.
          </p>
        </div>
      )}
      {list.length > 0 && (
        <StudiesList
          studies={list}
          jobs={jobs}
          onAnswersReady={reload}
          onChanged={reload}
          onPlay={(id) => {
            const study = find(id);
            if (study !== undefined) setScreen({ kind: 'play', study });
          }}
          onResults={(id) => {
            const study = find(id);
            if (study !== undefined) setScreen({ kind: 'results', study });
          }}
        />
      )}
    </Frame>
  );
}

function Frame(props: { children: ReactNode }) {
  return (
    <section className="view ml-view guess-view" aria-labelledby="guess-title">
      <header className="view-header">
        <h1 id="guess-title">Guess</h1>
        <p className="muted">
          People guess the city of photos the model never trained on; then both are compared.
        </p>
      </header>
      {props.children}
    </section>
  );
}

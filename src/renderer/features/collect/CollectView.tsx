import { useState } from 'react';
import type { FormEvent } from 'react';
import type { CollectJobResult, CollectProvider } from '../../../shared/contract/collect-types';
import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { isActive } from '../../ui/job-state';
import { JobStatus } from '../../ui/JobStatus';
import { useJob } from '../../ui/use-job';
import { collectParams, INITIAL_FORM, PROVIDER_NAMES, type CollectFormState } from './collect-form';
import { CollectRuns } from './CollectRuns';
import { KeyCard } from './KeyCard';
import './collect.css';

function ResultCard(props: { result: CollectJobResult }) {
  const { result } = props;
  return (
    <section className="card" data-testid="collect-result" data-status={result.status}>
      <h2>
        Run #{result.runId}: {result.fetchedNow} new photos
      </h2>
      <p className="muted small">
        In <code>{result.destDir}</code>, one folder per city, with{' '}
        <code>run-{result.runId}.csv</code> (positions and attribution).
      </p>
      <ul>
        {result.perCity.map((c) => (
          <li key={c.city}>
            {c.city}: {c.fetched} of {c.target} from {c.points} points ({c.noImagery} without
            imagery, {c.duplicates} duplicates, {c.failed} failed)
          </li>
        ))}
      </ul>
      {result.import !== null && (
        <p data-testid="collect-imported">
          Imported {result.import.imported} photos ({result.import.labeled} labeled,{' '}
          {result.import.duplicates} duplicates, {result.import.alreadyPresent} already in the
          library).
        </p>
      )}
      {result.warnings.map((w) => (
        <p key={w} className="muted small">
          {w}
        </p>
      ))}
    </section>
  );
}

/**
 * Collect street photos of the library's cities from Google Street View or Mapillary (the paper's
 * section 4), then import them labeled by city. Keys are set here and never shown again.
 */
export function CollectView() {
  const { client } = useStudio();
  const [form, setForm] = useState<CollectFormState>(INITIAL_FORM);
  const [problem, setProblem] = useState<string | null>(null);
  const [runsNonce, setRunsNonce] = useState(0);
  const reloadRuns = (): void => setRunsNonce((n) => n + 1);
  const starter = useJob('collect.start', reloadRuns);
  const resumer = useJob('collect.resume', reloadRuns);
  const job = resumer.state.phase !== 'idle' && starter.state.phase === 'idle' ? resumer : starter;
  const busy = isActive(starter.state.phase) || isActive(resumer.state.phase);
  const citiesKey = useRevisionKey('cities');
  const cities = useLoad(() => client.call('cities.list', {}), citiesKey);
  const runs = useLoad(
    () => client.call('collect.runs', {}),
    `${runsNonce}.${starter.state.phase}.${resumer.state.phase}`,
  );
  const set = (patch: Partial<CollectFormState>): void => setForm((f) => ({ ...f, ...patch }));

  const toggleCity = (name: string): void =>
    set({
      cities: form.cities.includes(name)
        ? form.cities.filter((c) => c !== name)
        : [...form.cities, name],
    });

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    try {
      const params = collectParams(form);
      setProblem(null);
      resumer.reset();
      void starter.start(params);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const resume = (runId: number): void => {
    starter.reset();
    void resumer.start({ runId });
  };

  const streetView = form.provider === 'streetview';
  return (
    <section className="view collect-view" aria-labelledby="collect-title">
      <header className="view-header">
        <h1 id="collect-title">Collect photos</h1>
        <p className="muted">
          Random points within a radius of each city centre (the paper used 25 km and 256x256
          images). Places without imagery and photos collected before are skipped; the photos are
          then imported, labeled by their city.
        </p>
      </header>
      <KeyCard provider={form.provider} onChange={reloadRuns} />
      <form className="card collect-form" onSubmit={submit} data-testid="collect-form">
        <fieldset disabled={busy}>
          <legend>Service</legend>
          {(Object.keys(PROVIDER_NAMES) as CollectProvider[]).map((p) => (
            <label key={p} className="inline">
              <input
                type="radio"
                name="collect-provider"
                value={p}
                checked={form.provider === p}
                onChange={() => set({ provider: p })}
              />{' '}
              {PROVIDER_NAMES[p]}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={busy} data-testid="collect-cities">
          <legend>Cities</legend>
          {(cities.value ?? []).map((c) => (
            <label key={c.id} className="inline">
              <input
                type="checkbox"
                checked={form.cities.includes(c.name)}
                onChange={() => toggleCity(c.name)}
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="collect-grid">
          <label>
            Photos per city
            <input
              value={form.count}
              onChange={(e) => set({ count: e.target.value })}
              inputMode="numeric"
            />
          </label>
          <label>
            Radius (km)
            <input
              value={form.radiusKm}
              onChange={(e) => set({ radiusKm: e.target.value })}
              inputMode="decimal"
            />
          </label>
          <label>
            Box (optional: W,S,E,N)
            <input
              value={form.bbox}
              placeholder="2.25,48.81,2.42,48.90"
              onChange={(e) => set({ bbox: e.target.value })}
            />
          </label>
          <label>
            Size
            <input value={form.size} onChange={(e) => set({ size: e.target.value })} />
          </label>
          <label>
            Requests / second
            <input
              value={form.rate}
              onChange={(e) => set({ rate: e.target.value })}
              inputMode="decimal"
            />
          </label>
          {streetView && (
            <>
              <label>
                Field of view (°)
                <input
                  value={form.fov}
                  onChange={(e) => set({ fov: e.target.value })}
                  inputMode="decimal"
                />
              </label>
              <label>
                Headings (° or random)
                <input value={form.headings} onChange={(e) => set({ headings: e.target.value })} />
              </label>
              <label>
                Pitch (°)
                <input
                  value={form.pitch}
                  onChange={(e) => set({ pitch: e.target.value })}
                  inputMode="decimal"
                />
              </label>
            </>
          )}
          <label>
            Seed (optional)
            <input
              value={form.seed}
              onChange={(e) => set({ seed: e.target.value })}
              inputMode="numeric"
            />
          </label>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy} data-testid="collect-start">
            {busy ? 'Collecting…' : 'Start collecting'}
          </button>
        </div>
        {problem !== null && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <JobStatus
          state={job.state}
          label="Collect"
          testId="collect-status"
          onCancel={job.cancel}
        />
      </form>
      {job.state.result !== null && <ResultCard result={job.state.result} />}
      <CollectRuns runs={runs} busy={busy} onResume={resume} />
    </section>
  );
}

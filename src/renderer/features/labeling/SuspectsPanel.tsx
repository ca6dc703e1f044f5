import { useEffect, useRef, useState } from 'react';
import { labelQueueMethods } from '../../../shared/contract/label-queue-methods';
import { numberParam, paramsShape } from '../../../shared/contract/param-info';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { ErrorLine } from '../../ui/ErrorLine';
import { pct } from '../../ui/format';
import { fieldRangeMessage, numberInRange } from '../../ui/number-field';
import { legendOf, typedCity, type LabelKeyAction } from './label-keys';
import { CityKeys, KeyLegend, LabelPhoto } from './LabelPhoto';
import { useLabelKeys } from './use-label-keys';
import { usePrefetch } from './use-prefetch';
import { useSuspects } from './use-suspects';

const FOLDS = numberParam(paramsShape(labelQueueMethods['suspects.start'].params).folds);

/** A city where most labels look wrong says more about the data than about the photos. */
const MOSTLY_SUSPECT = 0.5;

/** Labelled photos the out-of-fold heads disagree with, most suspect first, by keyboard. */
export function SuspectsPanel(props: { modelId: string; cities: readonly string[] }) {
  const notify = useNotify();
  const { cities: libraryCities } = useLibrary();
  const [folds, setFolds] = useState('5');
  const s = useSuspects(props.modelId);
  const current = s.queue[0] ?? null;
  usePrefetch(s.queue.slice(1).map((i) => i.imageId));
  const names = [
    ...props.cities,
    ...libraryCities.map((c) => c.name).filter((n) => !props.cities.includes(n)),
  ];

  const onKey = (action: LabelKeyAction, typed: string): void => {
    // Undo still works once the list is empty: the last photo comes back.
    if (action.type === 'undo') return s.undo();
    if (current === null) return;
    const change = (city: string | null | undefined): void => {
      if (city === null || city === undefined) return;
      if (city === current.label) s.answer('keep');
      else s.answer('change', city);
    };
    switch (action.type) {
      case 'skip':
        return s.answer('skip');
      case 'exclude':
        return s.answer('exclude');
      case 'keep':
        return s.answer('keep');
      case 'accept':
        return change(current.suggested);
      case 'city':
        return change(props.cities[action.index]);
      case 'typed': {
        const city = typedCity(typed, names);
        if (city === null) notify.info('No city matches', `No library city matches “${typed}”.`);
        return change(city);
      }
      default:
        return;
    }
  };
  const { typed } = useLabelKeys('suspects', current !== null || s.result !== null, onKey);

  const start = (): void => {
    const k = numberInRange(folds, FOLDS);
    if (k === null) {
      notify.info('Folds', fieldRangeMessage('Folds', FOLDS));
      return;
    }
    s.find(k);
  };

  // The search button keeps the focus after a click: Enter would press it again, not answer.
  const root = useRef<HTMLElement>(null);
  const ready = current !== null;
  useEffect(() => {
    if (ready) root.current?.focus({ preventScroll: true });
  }, [ready]);

  return (
    <section
      ref={root}
      tabIndex={-1}
      className="label-queue"
      aria-label="Probably mislabelled"
      data-testid="label-suspects"
      data-state={
        s.running ? 'loading' : s.result === null ? 'idle' : current === null ? 'empty' : 'ready'
      }
      data-count={s.queue.length}
    >
      <div className="label-bar">
        <label className="field">
          <span>Folds</span>
          <input
            type="text"
            inputMode="numeric"
            value={folds}
            onChange={(e) => setFolds(e.target.value)}
            data-testid="suspects-folds"
          />
        </label>
        <button
          type="button"
          className="primary"
          disabled={s.running}
          onClick={start}
          data-testid="suspects-find"
        >
          {s.result === null ? 'Find suspect labels' : 'Search again'}
        </button>
        <span className="muted small">{s.progress ?? ''}</span>
      </div>
      {s.error !== null && <ErrorLine error={s.error} testId="suspects-error" />}
      {s.result !== null && (
        <table className="label-city-table" data-testid="suspects-per-city">
          <caption className="small muted">
            {s.result.items.length} suspect of {s.result.judged} labelled photos ({s.result.folds}{' '}
            folds)
          </caption>
          <thead>
            <tr>
              <th scope="col">City</th>
              <th scope="col">Labelled</th>
              <th scope="col">Suspect</th>
            </tr>
          </thead>
          <tbody>
            {s.result.perCity.map((c) => {
              const share = c.labelled === 0 ? 0 : c.suspect / c.labelled;
              return (
                <tr
                  key={c.city}
                  data-city={c.city}
                  data-suspect={c.suspect}
                  className={share > MOSTLY_SUSPECT ? 'label-mostly-suspect' : undefined}
                >
                  <th scope="row">{c.city}</th>
                  <td>{c.labelled}</td>
                  <td>
                    {c.suspect} ({pct(share, 0)})
                    {share > MOSTLY_SUSPECT &&
                      ' — mostly suspect: check how this city was collected'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {s.result !== null && current === null && (
        <p className="card muted" data-testid="suspects-empty">
          No suspect left to review.
        </p>
      )}
      {current !== null && (
        <LabelPhoto
          imageId={current.imageId}
          path={current.path}
          top={current.top}
          testId="suspects-current"
        >
          <p
            className="label-verdict"
            data-testid="suspects-verdict"
            data-label={current.label}
            data-suggested={current.suggested}
          >
            Labelled <strong>{current.label}</strong> ({pct(current.labelProbability, 0)} out of
            fold); the model says <strong>{current.suggested}</strong>.
          </p>
          <CityKeys
            cities={props.cities}
            typed={typed}
            match={typed === '' ? null : typedCity(typed, names)}
          />
        </LabelPhoto>
      )}
      <p className="small geo-last" aria-live="polite" data-testid="suspects-last">
        {s.last ?? ''}
      </p>
      <KeyLegend items={legendOf('suspects')} />
    </section>
  );
}

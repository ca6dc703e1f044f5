import { useEffect, useRef, useState } from 'react';
import { labelQueueMethods } from '../../../shared/contract/label-queue-methods';
import { numberParam, paramsShape } from '../../../shared/contract/param-info';
import { fieldRangeMessage, numberInRange } from '../../ui/number-field';
import type { ControlCurve, LabelStrategy } from '../../../shared/contract/label-queue-types';
import { LABEL_STRATEGIES } from '../../../shared/contract/label-queue-types';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { legendOf, typedCity, type LabelKeyAction } from './label-keys';
import { CityKeys, KeyLegend, LabelPhoto } from './LabelPhoto';
import { LearningCurve } from './LearningCurve';
import { useLabelKeys } from './use-label-keys';
import { useLabelNext } from './use-label-next';
import { usePrefetch } from './use-prefetch';

const RETRAIN_EVERY = numberParam(
  paramsShape(labelQueueMethods['queue.settings'].params).retrainEvery,
);

const STRATEGY_WORDS: Record<LabelStrategy, string> = {
  hybrid: 'Unsure and spread out (hybrid)',
  margin: 'Least sure: top two closest (margin)',
  entropy: 'Least sure: entropy',
  diverse: 'Spread over the photos (k-center)',
  random: 'Random (the control)',
};

/** One unlabelled photo at a time, most useful first, labelled by keyboard. */
export function LabelNextPanel(props: { modelId: string; cities: readonly string[] }) {
  const { client } = useStudio();
  const notify = useNotify();
  const { cities: libraryCities } = useLibrary();
  const [strategy, setStrategy] = useState<LabelStrategy>('hybrid');
  const [every, setEvery] = useState<string | null>(null);
  const [control, setControl] = useState<ControlCurve | null>(null);
  const [controlBusy, setControlBusy] = useState(false);
  const q = useLabelNext(props.modelId, strategy);
  const current = q.queue[0] ?? null;
  usePrefetch(q.queue.slice(1).map((i) => i.imageId));
  const names = [
    ...props.cities,
    ...libraryCities.map((c) => c.name).filter((n) => !props.cities.includes(n)),
  ];

  const onKey = (action: LabelKeyAction, typed: string): void => {
    switch (action.type) {
      case 'undo':
        return q.undo();
      case 'skip':
        return current === null ? undefined : q.answer('skip');
      case 'exclude':
        return current === null ? undefined : q.answer('exclude');
      case 'accept': {
        const guess = current?.top[0]?.city;
        if (guess !== undefined) q.answer('label', guess);
        return;
      }
      case 'city': {
        const city = props.cities[action.index];
        if (city !== undefined) q.answer('label', city);
        return;
      }
      case 'typed': {
        const city = typedCity(typed, names);
        if (city === null) notify.info('No city matches', `No library city matches “${typed}”.`);
        else q.answer('label', city);
        return;
      }
      default:
        return;
    }
  };
  // Keys stay on after the last photo, so U can still bring it back.
  const { typed } = useLabelKeys('next', current !== null || q.status !== null, onKey);

  const saveEvery = (): void => {
    if (every === null) return;
    const n = numberInRange(every, RETRAIN_EVERY);
    if (n === null) {
      notify.info('Retrain every', fieldRangeMessage('Retrain every', RETRAIN_EVERY));
      return;
    }
    client.call('queue.settings', { retrainEvery: n }).then(
      () => setEvery(null),
      (e: unknown) => notify.error('Could not save the setting', e),
    );
  };

  const runControl = (): void => {
    setControlBusy(true);
    client.runJob('queue.control', { modelId: props.modelId }).then(
      (c) => {
        setControl(c);
        setControlBusy(false);
      },
      (e: unknown) => {
        setControlBusy(false);
        notify.error('The random control failed', e);
      },
    );
  };

  // Keys go to the queue from the start: the sidebar link just clicked would otherwise keep the
  // focus, and Enter would follow that link again instead of labeling.
  const root = useRef<HTMLElement>(null);
  const ready = current !== null;
  useEffect(() => {
    if (ready) root.current?.focus({ preventScroll: true });
  }, [ready]);

  const s = q.status;
  return (
    <section
      ref={root}
      tabIndex={-1}
      className="label-queue"
      aria-label="Label next"
      data-testid="label-next"
      data-state={current === null ? (q.ranking ? 'loading' : 'empty') : 'ready'}
      data-count={q.queue.length}
    >
      <div className="label-bar">
        <label className="field">
          <span>Order</span>
          <select
            value={strategy}
            onChange={(e) =>
              setStrategy(LABEL_STRATEGIES.find((v) => v === e.target.value) ?? 'hybrid')
            }
            data-testid="label-strategy"
          >
            {LABEL_STRATEGIES.map((v) => (
              <option key={v} value={v}>
                {STRATEGY_WORDS[v]}
              </option>
            ))}
          </select>
        </label>
        <label className="field label-every">
          <span>Retrain every</span>
          <input
            type="text"
            inputMode="numeric"
            value={every ?? String(s?.retrainEvery ?? 25)}
            onChange={(e) => setEvery(e.target.value)}
            onBlur={saveEvery}
            onKeyDown={(e) => {
              if (e.key === 'Enter') saveEvery();
            }}
            data-testid="label-every"
          />
          <span>labels</span>
        </label>
        <span
          className="muted small"
          data-testid="label-status"
          data-head-version={s?.headVersion ?? 0}
          data-retraining={s?.retraining === true}
        >
          {s === null
            ? ''
            : `${s.queueLabels} labelled here · ${s.sinceRetrain}/${s.retrainEvery} to the next retrain${s.retraining ? ' · retraining…' : ''}${q.ranking ? ' · ranking…' : ''}`}
        </span>
      </div>
      {q.error !== null && <ErrorLine error={q.error} testId="label-error" />}
      {current === null ? (
        <p className="card muted" data-testid="label-empty">
          {q.ranking
            ? 'Ranking the photos…'
            : 'No photo without a label is left. Import more, or look at the suspects.'}
        </p>
      ) : (
        <LabelPhoto
          imageId={current.imageId}
          path={current.path}
          top={current.top}
          testId="label-current"
        >
          <CityKeys
            cities={props.cities}
            typed={typed}
            match={typed === '' ? null : typedCity(typed, names)}
          />
        </LabelPhoto>
      )}
      <p className="small geo-last" aria-live="polite" data-testid="label-last">
        {q.last ?? ''}
      </p>
      <KeyLegend items={legendOf('next')} />
      <div className="card label-curve-card">
        <h3>Learning curve</h3>
        <LearningCurve curve={s?.curve ?? []} control={control} />
        <button
          type="button"
          className="small"
          disabled={controlBusy || (s?.curve.length ?? 0) === 0}
          onClick={runControl}
          data-testid="label-control"
        >
          {controlBusy ? 'Training the control…' : 'Show the random control'}
        </button>
      </div>
    </section>
  );
}

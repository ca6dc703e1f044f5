import type { ReactNode } from 'react';
import type { CityGuess } from '../../../shared/contract/label-queue-types';
import { useStudio } from '../../app/studio-context';
import { baseName } from '../library/format';
import { pct } from '../../ui/format';

/** One photo of a queue, large, with the current head's top cities; `children` go beside it. */
export function LabelPhoto(props: {
  imageId: number;
  path: string;
  top: readonly CityGuess[];
  testId: string;
  children?: ReactNode;
}) {
  const { transport } = useStudio();
  const name = baseName(props.path);
  return (
    <article className="label-photo" data-testid={props.testId} data-image-id={props.imageId}>
      <img
        className="label-photo-image"
        src={transport.assetUrl('norm', props.imageId)}
        alt={`Photo ${name}`}
        width={384}
        height={384}
      />
      <div className="label-photo-facts">
        <h3 title={props.path}>{name}</h3>
        <p className="muted small break">{props.path}</p>
        <ol className="plain-list ml-probs" aria-label="The model's top cities">
          {props.top.map((c) => (
            <li key={c.city}>
              <span className="ml-prob-city">{c.city}</span>
              <meter min={0} max={1} value={c.probability} aria-label={`${c.city} probability`} />
              <span className="ml-prob-value">{pct(c.probability, 0)}</span>
            </li>
          ))}
        </ol>
        {props.children}
      </div>
    </article>
  );
}

/** The numbered cities (keys 1–9, 0) and the city being typed. */
export function CityKeys(props: {
  cities: readonly string[];
  typed: string;
  match: string | null;
}) {
  return (
    <div className="label-city-keys">
      <ol className="plain-list label-cities" aria-label="Cities by key">
        {props.cities.slice(0, 10).map((city, i) => (
          <li key={city}>
            <kbd>{i === 9 ? 0 : i + 1}</kbd> {city}
          </li>
        ))}
      </ol>
      <p
        className="label-typed"
        aria-live="polite"
        data-testid="label-typed"
        data-typed={props.typed}
      >
        {props.typed === '' ? (
          <span className="muted">Type a city’s name…</span>
        ) : (
          <>
            <kbd>{props.typed}</kbd> → {props.match ?? <span className="muted">no city</span>}
          </>
        )}
      </p>
    </div>
  );
}

export function KeyLegend(props: { items: readonly { keys: readonly string[]; what: string }[] }) {
  return (
    <dl className="geo-legend small" aria-label="Keyboard shortcuts">
      {props.items.map((l) => (
        <div key={l.what}>
          <dt>
            {l.keys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}
          </dt>
          <dd>{l.what}</dd>
        </div>
      ))}
    </dl>
  );
}

import { useState } from 'react';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { ErrorLine } from '../../ui/ErrorLine';
import { baseName } from '../library/format';

type Which = 'unlabeled' | 'test' | 'all';
const LIMIT = 300;

/** Library photos to geolocate: untagged ones first, or the test split, or any; click to pick. */
export function ImagePicker(props: {
  selected: ReadonlyMap<number, ImageSummary>;
  onChange: (next: Map<number, ImageSummary>) => void;
  disabled: boolean;
}) {
  const { client, transport } = useStudio();
  const { cities } = useLibrary();
  const [which, setWhich] = useState<Which>('unlabeled');
  const [city, setCity] = useState('');
  const key = useRevisionKey('opened', 'images', 'labels', 'splits');
  const page = useLoad(
    () =>
      client.call('images.list', {
        limit: LIMIT,
        labeled: which === 'unlabeled' ? false : null,
        split: which === 'test' ? 'test' : null,
        city: which !== 'unlabeled' && city !== '' ? city : null,
      }),
    `${key}:${which}:${city}`,
  );
  const items = page.value?.items ?? [];

  const toggle = (image: ImageSummary): void => {
    const next = new Map(props.selected);
    if (next.has(image.id)) next.delete(image.id);
    else next.set(image.id, image);
    props.onChange(next);
  };
  const selectAll = (): void => {
    const next = new Map(props.selected);
    for (const image of items) next.set(image.id, image);
    props.onChange(next);
  };

  return (
    <div className="ml-picker" data-testid="image-picker" data-state={page.state}>
      <div className="ml-picker-bar">
        <label>
          <span>Show</span>
          <select
            value={which}
            onChange={(e) =>
              setWhich(
                e.target.value === 'test' || e.target.value === 'all'
                  ? e.target.value
                  : 'unlabeled',
              )
            }
          >
            <option value="unlabeled">Untagged photos</option>
            <option value="test">Test split</option>
            <option value="all">All photos</option>
          </select>
        </label>
        {which !== 'unlabeled' && (
          <label>
            <span>City</span>
            <select value={city} onChange={(e) => setCity(e.target.value)}>
              <option value="">All cities</option>
              {cities.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted small ml-picker-count">
          {page.value === null
            ? 'Loading…'
            : `${page.value.total} photo${page.value.total === 1 ? '' : 's'}${page.value.total > items.length ? `, first ${items.length} shown` : ''}`}
        </span>
        <button
          type="button"
          className="small"
          disabled={props.disabled || items.length === 0}
          onClick={selectAll}
        >
          Pick all shown
        </button>
        <button
          type="button"
          className="small"
          disabled={props.disabled || props.selected.size === 0}
          onClick={() => props.onChange(new Map())}
        >
          Clear ({props.selected.size})
        </button>
      </div>
      {page.error !== null && <ErrorLine error={page.error} />}
      {page.state === 'ready' && items.length === 0 ? (
        <p className="muted small">
          {which === 'unlabeled' ? 'Every photo has a city already.' : 'No photos here.'}
        </p>
      ) : (
        <ul className="ml-picker-grid" aria-label="Library photos">
          {items.map((image) => {
            const on = props.selected.has(image.id);
            return (
              <li key={image.id}>
                <label
                  className={`ml-pick${on ? ' ml-pick-on' : ''}`}
                  title={image.path}
                  data-testid="pick-cell"
                  data-image-id={image.id}
                >
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={props.disabled}
                    onChange={() => toggle(image)}
                    aria-label={baseName(image.path)}
                  />
                  <img src={transport.assetUrl('thumb', image.id)} alt="" loading="lazy" />
                  <span className="ml-pick-name">{baseName(image.path)}</span>
                  <span className="ml-pick-city">{image.city ?? 'untagged'}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

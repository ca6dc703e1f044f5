import { useState } from 'react';
import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { ErrorLine } from '../../ui/ErrorLine';
import { baseName } from '../library/format';

const LIMIT = 60;

/** A small searchable list of library photos (by file path); click one to explain it. */
export function PhotoPicker(props: { selected: number | null; onPick: (id: number) => void }) {
  const { client, transport } = useStudio();
  const [search, setSearch] = useState('');
  const key = useRevisionKey('opened', 'images', 'labels');
  const query = search.trim();
  const page = useLoad(
    () => client.call('images.list', { limit: LIMIT, search: query === '' ? null : query }),
    `${key}:${query}`,
  );
  const items = page.value?.items ?? [];
  return (
    <div className="explain-picker" data-testid="explain-photos" data-state={page.state}>
      <label className="explain-search">
        <span>Photo</span>
        <input
          type="search"
          placeholder="Search file names…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      {page.error !== null && <ErrorLine error={page.error} />}
      <ul className="plain-list explain-photo-list" aria-label="Library photos">
        {items.map((image) => (
          <li key={image.id}>
            <button
              type="button"
              className={`explain-photo${image.id === props.selected ? ' explain-photo-on' : ''}`}
              aria-pressed={image.id === props.selected}
              title={image.path}
              data-testid="explain-photo"
              data-image-id={image.id}
              onClick={() => props.onPick(image.id)}
            >
              <img src={transport.assetUrl('thumb', image.id)} alt="" loading="lazy" />
              <span className="explain-photo-name">{baseName(image.path)}</span>
              <span className="muted small">{image.city ?? 'untagged'}</span>
            </button>
          </li>
        ))}
      </ul>
      {page.value !== null && page.value.total > items.length && (
        <p className="muted small">
          First {items.length} of {page.value.total}; search to find others.
        </p>
      )}
    </div>
  );
}

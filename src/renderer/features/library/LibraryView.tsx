import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { DetailPane } from './DetailPane';
import { FilterBar } from './FilterBar';
import { NO_FILTERS, type ImageFilters } from './filters';
import { ImageGrid } from './ImageGrid';
import { Labeler } from './Labeler';
import { clickSelect, EMPTY_SELECTION, pruneSelection, type ClickMods } from './selection';
import { useImagePages } from './use-image-pages';
import './library.css';

const plural = (n: number): string => `${n} image${n === 1 ? '' : 's'}`;

/** Browse, filter, inspect and label the library's photos. */
export function LibraryView() {
  const { client } = useStudio();
  const notify = useNotify();
  const { cities, changed } = useLibrary();
  const [filters, setFilters] = useState<ImageFilters>(NO_FILTERS);
  const dataKey = useRevisionKey('images', 'labels', 'splits', 'cities', 'models');
  // ('models': a predict job stores new predictions, which the grid shows and filters on.)
  const pages = useImagePages(filters, dataKey);
  const [selection, setSelection] = useState(EMPTY_SELECTION);
  const [labeling, setLabeling] = useState(false);

  const order = useMemo(() => pages.items.map((i) => i.id), [pages.items]);
  useEffect(() => setSelection((s) => pruneSelection(s, order)), [order]);
  const selected = useMemo(
    () => pages.items.filter((i) => selection.ids.has(i.id)),
    [pages.items, selection],
  );

  const select = useCallback(
    (id: number, mods: ClickMods) => setSelection((s) => clickSelect(s, order, id, mods)),
    [order],
  );

  const label = useCallback(
    (city: string | null) => {
      const ids = [...selection.ids];
      if (ids.length === 0) return;
      // Labeling one image at a time moves on to the next, so a person can work through a folder.
      const single = ids.length === 1 ? ids[0] : undefined;
      const next = single === undefined ? undefined : order[order.indexOf(single) + 1];
      setLabeling(true);
      client.call('labels.set', { imageIds: ids, city }).then(
        (r) => {
          setLabeling(false);
          notify.info(
            city === null ? `Cleared ${plural(r.updated)}` : `Labeled ${plural(r.updated)}`,
            city ?? '',
          );
          if (next !== undefined) setSelection({ ids: new Set([next]), anchor: next });
          changed('labels');
        },
        (error: unknown) => {
          setLabeling(false);
          notify.error('Could not save the label', error);
        },
      );
    },
    [client, notify, changed, selection, order],
  );

  return (
    <section className="view library-view" aria-labelledby="library-title">
      <header className="view-header">
        <h1 id="library-title">Library</h1>
        <p className="match-count" data-testid="match-count" data-count={pages.total}>
          {pages.state === 'loading' && pages.items.length === 0
            ? 'Loading…'
            : `${plural(pages.total)} match`}
          {pages.items.length < pages.total && (
            <span className="muted"> · {pages.items.length} shown</span>
          )}
        </p>
      </header>
      <FilterBar filters={filters} cities={cities} onChange={setFilters} />
      <div className="library-body">
        <div className="grid-pane" data-testid="image-grid" data-state={pages.state}>
          {pages.error !== null && (
            <div className="form-error" role="alert">
              <code>{pages.error.code}</code> {pages.error.message}
            </div>
          )}
          {pages.state === 'ready' && pages.total === 0 ? (
            <div className="empty-state" data-testid="grid-empty">
              <p>No images match these filters.</p>
              <p className="muted">Import photos from the Import view, or loosen the filters.</p>
            </div>
          ) : (
            <ImageGrid
              items={pages.items}
              selected={selection.ids}
              hasMore={pages.hasMore}
              loadingMore={pages.loadingMore}
              onSelect={select}
              onSelectAll={() => setSelection({ ids: new Set(order), anchor: order[0] ?? null })}
              onLoadMore={pages.loadMore}
            />
          )}
        </div>
        <aside className="detail-pane" aria-label="Selected images">
          <Labeler
            cities={cities}
            selectedCount={selection.ids.size}
            busy={labeling}
            onLabel={label}
          />
          <DetailPane selected={selected} />
        </aside>
      </div>
    </section>
  );
}

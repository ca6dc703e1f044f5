import type { CityWithCount } from '../../../shared/contract/library-types';
import type { ParamsIn } from '../../../shared/contract/methods';
import { PAPER_CITIES } from '../../../shared/domain/cities';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { shortcutFor } from '../library/shortcuts';
import { DataTable, type Column } from '../../ui/DataTable';
import { RemoveButton, useRemoveConfirm } from '../../ui/remove';
import { useAction } from '../../ui/use-action';
import { AddCityForm } from './AddCityForm';
import './cities.css';

const coord = (n: number): string => n.toFixed(4);

function cityColumns(busy: boolean, onRemove: (c: CityWithCount) => void): Column<CityWithCount>[] {
  return [
    {
      header: 'Key',
      cell: (_c, i) => shortcutFor(i) !== null && <kbd>{shortcutFor(i)}</kbd>,
    },
    { header: 'City', rowHeader: true, cell: (c) => c.name },
    { header: 'Country', cell: (c) => c.country },
    {
      header: 'Centre',
      className: 'mono',
      cell: (c) => `${coord(c.lat)}, ${coord(c.lon)}`,
    },
    { header: 'Radius', num: true, cell: (c) => `${c.radiusKm} km` },
    {
      header: 'Labeled photos',
      num: true,
      cellProps: () => ({ 'data-testid': 'city-labeled' }),
      cell: (c) => c.labeled,
    },
    {
      header: 'Actions',
      hiddenHeader: true,
      className: 'actions',
      cell: (c) => (
        <RemoveButton label={`Remove ${c.name}`} disabled={busy} onClick={() => onRemove(c)} />
      ),
    },
  ];
}

/** The cities images can be labeled with: counts, add, remove. */
export function CitiesView() {
  const { client } = useStudio();
  const notify = useNotify();
  const { cities, changed } = useLibrary();
  const action = useAction<void>();
  const names = cities.map((c) => c.name);
  const missingPaper = PAPER_CITIES.filter(
    (p) => !names.some((n) => n.toLowerCase() === p.name.toLowerCase()),
  );

  const add = (city: ParamsIn<'cities.add'>): Promise<boolean> =>
    action.run(
      async () => {
        const added = await client.call('cities.add', city);
        notify.info(`Added ${added.name}`);
        changed('cities');
      },
      (error) => notify.error(`Could not add ${city.name}`, error),
    );

  const addPaperCities = async (): Promise<void> => {
    for (const city of missingPaper) if (!(await add(city))) return;
  };

  const removal = useRemoveConfirm<CityWithCount>({
    title: (c) => `Remove ${c.name}?`,
    confirmLabel: 'Remove city',
    body: (c) =>
      c.labeled > 0 ? (
        <p>Its {c.labeled} labels are removed too. The photos stay in the library, unlabeled.</p>
      ) : (
        <p>No photo is labeled with it.</p>
      ),
    onRemove: (city) =>
      void action.run(
        async () => {
          const r = await client.call('cities.remove', { name: city.name });
          notify.info(
            `Removed ${r.removed}`,
            r.labelsRemoved > 0
              ? `${r.labelsRemoved} labels removed; the photos stay unlabeled.`
              : '',
          );
          changed('cities', 'labels');
        },
        (error) => notify.error(`Could not remove ${city.name}`, error),
      ),
  });
  const busy = action.busy;

  return (
    <section className="view cities-view" aria-labelledby="cities-title">
      <header className="view-header">
        <h1 id="cities-title">Cities</h1>
        <p className="muted">
          The classes the model learns. The first ten get the labeling shortcuts 1–9 and 0.
        </p>
      </header>
      <div className="card">
        {cities.length === 0 ? (
          <p className="muted" data-testid="cities-empty">
            No cities yet. Add one below, or start with the paper’s ten.
          </p>
        ) : (
          <DataTable
            testId="cities-table"
            columns={cityColumns(busy, removal.ask)}
            rows={cities}
            rowKey={(c) => c.id}
            rowProps={(c) => ({ 'data-testid': 'city-row', 'data-city': c.name })}
          />
        )}
        {missingPaper.length > 0 && (
          <button type="button" disabled={busy} onClick={() => void addPaperCities()}>
            Add the paper’s {missingPaper.length === PAPER_CITIES.length ? 'ten' : 'missing'} cities
            ({missingPaper.map((c) => c.name).join(', ')})
          </button>
        )}
      </div>
      <AddCityForm existing={names} busy={busy} onAdd={add} />
      {removal.dialog}
    </section>
  );
}

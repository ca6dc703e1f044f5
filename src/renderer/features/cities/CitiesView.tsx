import { useState } from 'react';
import type { CityWithCount } from '../../../shared/contract/library-types';
import type { ParamsIn } from '../../../shared/contract/methods';
import { PAPER_CITIES } from '../../../shared/domain/cities';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { shortcutFor } from '../library/shortcuts';
import { AddCityForm } from './AddCityForm';
import './cities.css';

const coord = (n: number): string => n.toFixed(4);

/** The cities images can be labeled with: counts, add, remove. */
export function CitiesView() {
  const { client } = useStudio();
  const notify = useNotify();
  const { cities, changed } = useLibrary();
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<CityWithCount | null>(null);
  const names = cities.map((c) => c.name);
  const missingPaper = PAPER_CITIES.filter(
    (p) => !names.some((n) => n.toLowerCase() === p.name.toLowerCase()),
  );

  const add = async (city: ParamsIn<'cities.add'>): Promise<boolean> => {
    setBusy(true);
    try {
      const added = await client.call('cities.add', city);
      notify.info(`Added ${added.name}`);
      changed('cities');
      return true;
    } catch (error) {
      notify.error(`Could not add ${city.name}`, error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const addPaperCities = async (): Promise<void> => {
    for (const city of missingPaper) if (!(await add(city))) return;
  };

  const remove = async (city: CityWithCount): Promise<void> => {
    setRemoving(null);
    setBusy(true);
    try {
      const r = await client.call('cities.remove', { name: city.name });
      notify.info(
        `Removed ${r.removed}`,
        r.labelsRemoved > 0 ? `${r.labelsRemoved} labels removed; the photos stay unlabeled.` : '',
      );
      changed('cities', 'labels');
    } catch (error) {
      notify.error(`Could not remove ${city.name}`, error);
    } finally {
      setBusy(false);
    }
  };

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
          <table className="data-table" data-testid="cities-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">City</th>
                <th scope="col">Country</th>
                <th scope="col">Centre</th>
                <th scope="col" className="num">
                  Radius
                </th>
                <th scope="col" className="num">
                  Labeled photos
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cities.map((c, i) => (
                <tr key={c.id} data-testid="city-row" data-city={c.name}>
                  <td>{shortcutFor(i) !== null && <kbd>{shortcutFor(i)}</kbd>}</td>
                  <th scope="row">{c.name}</th>
                  <td>{c.country}</td>
                  <td className="mono">
                    {coord(c.lat)}, {coord(c.lon)}
                  </td>
                  <td className="num">{c.radiusKm} km</td>
                  <td className="num" data-testid="city-labeled">
                    {c.labeled}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="small danger-outline"
                      disabled={busy}
                      onClick={() => setRemoving(c)}
                      aria-label={`Remove ${c.name}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {missingPaper.length > 0 && (
          <button type="button" disabled={busy} onClick={() => void addPaperCities()}>
            Add the paper’s {missingPaper.length === PAPER_CITIES.length ? 'ten' : 'missing'} cities
            ({missingPaper.map((c) => c.name).join(', ')})
          </button>
        )}
      </div>
      <AddCityForm existing={names} busy={busy} onAdd={add} />
      {removing !== null && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove city"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          {removing.labeled > 0 ? (
            <p>
              Its {removing.labeled} labels are removed too. The photos stay in the library,
              unlabeled.
            </p>
          ) : (
            <p>No photo is labeled with it.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

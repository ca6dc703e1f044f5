import type { GeoMapCity } from '../../../shared/contract/geo-types';
import type { Column } from '../../ui/DataTable';

/** The map's table of cities: a city's name opens its photos. */
export function mapColumns(onCity: (city: string) => void): Column<GeoMapCity>[] {
  return [
    {
      header: 'City',
      rowHeader: true,
      cell: (c) => (
        <>
          <button type="button" className="link-button" onClick={() => onCity(c.city)}>
            {c.city}
          </button>
          {c.country !== '' && <span className="muted"> · {c.country}</span>}
        </>
      ),
    },
    { header: 'Photos', num: true, cell: (c) => c.count },
    { header: 'Mean confidence', num: true, cell: (c) => `${Math.round(c.meanConfidence * 100)}%` },
    { header: 'GPS right', num: true, cell: (c) => c.correct },
    { header: 'GPS wrong', num: true, cell: (c) => c.wrong },
  ];
}

// The library's labels as a CSV file other tools (and the import, as a manifest) read: one row
// per labelled photo with who gave the label and whether the photo is excluded from training.
import type { Sql } from '../db/sql';

const cell = (value: string | number): string => {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function labelsCsv(sql: Sql): { csv: string; rows: number } {
  const rows = sql.all<{
    path: string;
    city: string;
    source: string;
    labelled_at: string | null;
    excluded: number;
  }>(
    `SELECT i.path, c.name AS city, i.label_source AS source,
            (SELECT MAX(l.created_at) FROM labels l WHERE l.image_id = i.id) AS labelled_at,
            EXISTS (SELECT 1 FROM training_exclusions e WHERE e.image_id = i.id) AS excluded
     FROM images i JOIN cities c ON c.id = i.city_id ORDER BY i.id`,
  );
  const lines = rows.map((r) =>
    [r.path, r.city, r.source, r.labelled_at ?? '', r.excluded].map(cell).join(','),
  );
  return {
    csv: `${['path,city,source,labelled_at,excluded', ...lines].join('\n')}\n`,
    rows: rows.length,
  };
}

import { useEffect, useState } from 'react';
import type { StudyExport } from '../../../shared/contract/study-types';
import { fileStem } from './export-file';

type Links = { csv: string; json: string };

/** Download links (blob URLs) for every trial as CSV and as JSON; the URLs are freed on unmount. */
export function ExportLinks(props: { name: string; data: StudyExport }) {
  const [links, setLinks] = useState<Links | null>(null);
  useEffect(() => {
    const csv = URL.createObjectURL(new Blob([props.data.csv], { type: 'text/csv' }));
    const json = URL.createObjectURL(
      new Blob([JSON.stringify(props.data, null, 2)], { type: 'application/json' }),
    );
    setLinks({ csv, json });
    return () => {
      URL.revokeObjectURL(csv);
      URL.revokeObjectURL(json);
    };
  }, [props.data]);
  if (links === null) return null;
  const stem = fileStem(props.name, props.data.studyId);
  return (
    <div className="button-row" data-testid="results-export">
      <a
        className="guess-link-button"
        href={links.csv}
        download={`${stem}.csv`}
        data-testid="export-csv"
      >
        Export CSV
      </a>
      <a
        className="guess-link-button"
        href={links.json}
        download={`${stem}.json`}
        data-testid="export-json"
      >
        Export JSON
      </a>
      <span className="muted small">{props.data.trials.length} trials</span>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { GeoBatchSummary, GeoExportResult } from '../../../shared/contract/geo-types';
import { exportFileName, isTextFormat, mimeOf } from './export-file';

/** The file a text export made, as a download link that lives as long as the card. */
function useDownloadLink(
  result: GeoExportResult,
  batch: GeoBatchSummary,
): { href: string; name: string } | null {
  const [link, setLink] = useState<{ href: string; name: string } | null>(null);
  useEffect(() => {
    if (result.text === null || !isTextFormat(result.format)) {
      setLink(null);
      return;
    }
    const href = URL.createObjectURL(new Blob([result.text], { type: mimeOf(result.format) }));
    setLink({ href, name: exportFileName(batch.name, batch.id, result.format) });
    return () => URL.revokeObjectURL(href);
  }, [result, batch.name, batch.id]);
  return link;
}

/** What an export wrote and where, its download, and the photos it skipped with why. */
export function ExportResultCard(props: { result: GeoExportResult; batch: GeoBatchSummary }) {
  const { result } = props;
  const link = useDownloadLink(result, props.batch);
  return (
    <div className="card" data-testid="geo-export-result" data-written={result.written}>
      <p>
        {isTextFormat(result.format)
          ? `${result.written} row${result.written === 1 ? '' : 's'}`
          : `${result.written} photo${result.written === 1 ? '' : 's'} written`}
        {result.dest !== null && (
          <>
            {' '}
            to <code className="break">{result.dest}</code>
          </>
        )}
        {result.backupDir !== null && (
          <>
            ; originals backed up in <code className="break">{result.backupDir}</code>
          </>
        )}
        .
      </p>
      {link !== null && (
        <div className="button-row">
          <a
            className="geo-link-button"
            href={link.href}
            download={link.name}
            data-testid="geo-export-download"
          >
            Download {link.name}
          </a>
        </div>
      )}
      {result.skipped.length > 0 && (
        <details data-testid="geo-export-skipped" data-count={result.skipped.length}>
          <summary>{result.skipped.length} skipped</summary>
          <ul className="plain-list small">
            {result.skipped.map((s) => (
              <li key={s.path}>
                <code className="break">{s.path}</code> <span className="muted">{s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

// The manifest half of a scan: each row of the CSV as a candidate, its city matched to a library
// city; rows listed twice, unknown cities and unreadable manifests become errors.
import { resolve } from 'node:path';
import type { ImportError } from '../../../shared/contract/library-types';
import { MAX_CSV_BYTES } from '../../../shared/contract/limits';
import { readTextFile, TextFileError } from '../csv/read-text-file';
import { matchCityName } from './city-match';
import { readManifest } from './csv';
import { describeFsError } from '../../platform/fs-errors';
import type { Candidate } from './scan';

export async function manifestCandidates(
  csv: string,
  cityNames: readonly string[],
): Promise<{ candidates: Candidate[]; errors: ImportError[] }> {
  const csvPath = resolve(csv);
  const candidates: Candidate[] = [];
  const errors: ImportError[] = [];
  let text: string;
  try {
    text = await readTextFile(csvPath, MAX_CSV_BYTES);
  } catch (error) {
    const reason = error instanceof TextFileError ? error.message : describeFsError(error);
    const path =
      error instanceof TextFileError && error.line !== null ? `${csvPath}:${error.line}` : csvPath;
    errors.push({ path, reason: `cannot read the manifest: ${reason}` });
    return { candidates, errors };
  }
  const manifest = readManifest(csvPath, text);
  errors.push(...manifest.errors);
  const lines = new Map<string, number>();
  for (const entry of manifest.entries) {
    const firstLine = lines.get(entry.path);
    if (firstLine !== undefined) {
      errors.push({
        path: entry.path,
        reason: `listed again on manifest line ${entry.line}; line ${firstLine} is used`,
      });
      continue;
    }
    lines.set(entry.path, entry.line);
    let label: Candidate['label'] = null;
    if (entry.city !== null) {
      const city = matchCityName(entry.city, cityNames);
      if (city === null) {
        errors.push({
          path: entry.path,
          reason: `manifest line ${entry.line}: unknown city "${entry.city}"; add the city, then import again`,
        });
        continue;
      }
      label = { city, source: 'csv' };
    }
    candidates.push({
      path: entry.path,
      explicit: true,
      label,
      position: entry.position,
      source: `csv:${csvPath}`,
    });
  }
  return { candidates, errors };
}

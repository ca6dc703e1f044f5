import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImportError, LabelSource } from '../../../shared/contract/library-types';
import { matchCityName } from './city-match';
import { describeFsError } from '../../platform/fs-errors';
import { FolderWalk } from './scan-folders';
import { manifestCandidates } from './scan-manifest';

/** One file the import will look at, with what the inputs say about it. */
export type Candidate = {
  path: string;
  /** Named directly (argument or manifest), so a non-image is an error rather than ignored. */
  explicit: boolean;
  label: { city: string; source: Extract<LabelSource, 'folder' | 'csv'> } | null;
  /** A position given by the manifest (used when the photo has no EXIF GPS). */
  position: { lat: number; lon: number } | null;
  /** How it came in, stored with the image: `folder:<root>`, `file` or `csv:<manifest>`. */
  source: string;
};

export type ScanOptions = {
  paths: readonly string[];
  csv: string | null;
  /** Library city names, for folder and manifest labels. */
  cityNames: readonly string[];
  /** Folders never walked into (the library itself, so its cache is not imported). */
  excludeDirs: readonly string[];
  isCancelled(): boolean;
  onFound(count: number): void;
};

/**
 * Expands the inputs into a de-duplicated list of files. A folder's immediate sub-folders named
 * like a library city label everything below them ('folder'); a folder that is itself named like
 * a city labels its photos the same way. Manifest labels win over folder labels. Problems (missing
 * paths, unreadable folders, names that are not UTF-8, bad manifest rows) become errors; the scan
 * carries on with everything else.
 */
export async function scanInputs(
  options: ScanOptions,
): Promise<{ candidates: Candidate[]; errors: ImportError[] }> {
  const found = new Map<string, Candidate>();
  const errors: ImportError[] = [];
  const excluded = new Set<string>();
  for (const dir of options.excludeDirs) excluded.add(await realpath(dir).catch(() => dir));
  const add = (candidate: Candidate): void => {
    if (found.has(candidate.path)) return;
    found.set(candidate.path, candidate);
    if (found.size % 500 === 0) options.onFound(found.size);
  };
  if (options.csv !== null) {
    const manifest = await manifestCandidates(options.csv, options.cityNames);
    errors.push(...manifest.errors);
    manifest.candidates.forEach(add);
  }
  const folders = new FolderWalk({
    cityNames: options.cityNames,
    excluded,
    isCancelled: () => options.isCancelled(),
    add,
    errors,
  });
  for (const input of options.paths) {
    if (options.isCancelled()) break;
    const path = resolve(input);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push({ path, reason: describeFsError(error) });
      continue;
    }
    if (info.isDirectory()) {
      const own = matchCityName(basename(path), options.cityNames);
      await folders.walk(Buffer.from(path), own, path, 0);
    } else {
      add({ path, explicit: true, label: null, position: null, source: 'file' });
    }
  }
  options.onFound(found.size);
  return { candidates: [...found.values()], errors };
}

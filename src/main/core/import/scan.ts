import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import type { ImportError, LabelSource } from '../../../shared/contract/library-types';
import { MAX_CSV_BYTES } from '../../../shared/contract/limits';
import { readTextFile, TextFileError } from '../csv/read-text-file';
import { matchCityName } from './city-match';
import { readManifest } from './csv';
import { decodeUtf8, escapeBytes, extensionOf, IMAGE_EXTENSIONS } from './file-names';
import { describeFsError } from '../../platform/fs-errors';

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

const SEP = Buffer.from(sep);

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
    const csvPath = resolve(options.csv);
    let text: string | null = null;
    try {
      text = await readTextFile(csvPath, MAX_CSV_BYTES);
    } catch (error) {
      const reason = error instanceof TextFileError ? error.message : describeFsError(error);
      errors.push({
        path:
          error instanceof TextFileError && error.line !== null
            ? `${csvPath}:${error.line}`
            : csvPath,
        reason: `cannot read the manifest: ${reason}`,
      });
    }
    if (text !== null) {
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
          const city = matchCityName(entry.city, options.cityNames);
          if (city === null) {
            errors.push({
              path: entry.path,
              reason: `manifest line ${entry.line}: unknown city "${entry.city}"; add the city, then import again`,
            });
            continue;
          }
          label = { city, source: 'csv' };
        }
        add({
          path: entry.path,
          explicit: true,
          label,
          position: entry.position,
          source: `csv:${csvPath}`,
        });
      }
    }
  }

  const visited = new Set<string>();
  const walk = async (dir: Buffer, label: string | null, root: string, depth: number) => {
    if (options.isCancelled()) return;
    const real = await realpath(dir, { encoding: 'buffer' }).catch(() => dir);
    const key = real.toString('latin1');
    if (visited.has(key) || excluded.has(decodeUtf8(real) ?? '')) return;
    visited.add(key);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      errors.push({
        path: escapeBytes(dir),
        reason: `cannot read the folder: ${describeFsError(error)}`,
      });
      return;
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const entry of entries) {
      // Hidden files and folders (".git", "._IMG.jpg" resource forks, ...) are not photos.
      if (entry.name[0] === 0x2e) continue;
      const full = Buffer.concat([dir, SEP, entry.name]);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          if (IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
            errors.push({ path: escapeBytes(full), reason: 'broken symbolic link' });
          }
          continue;
        }
      }
      if (isDir) {
        const name = decodeUtf8(entry.name);
        const childLabel =
          depth === 0 && name !== null ? (matchCityName(name, options.cityNames) ?? label) : label;
        await walk(full, childLabel, root, depth + 1);
      } else if (isFile && IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        const path = decodeUtf8(full);
        if (path === null) {
          errors.push({
            path: escapeBytes(full),
            reason:
              'the file name is not valid UTF-8 (shown with \\x escapes); rename it to import it',
          });
          continue;
        }
        add({
          path,
          explicit: false,
          label: label === null ? null : { city: label, source: 'folder' },
          position: null,
          source: `folder:${root}`,
        });
      }
    }
  };

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
      await walk(Buffer.from(path), own, path, 0);
    } else {
      add({ path, explicit: true, label: null, position: null, source: 'file' });
    }
  }
  options.onFound(found.size);
  return { candidates: [...found.values()], errors };
}

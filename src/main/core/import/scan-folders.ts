// The folder half of a scan: walks folders (as raw byte names, so names that are not UTF-8 can be
// reported rather than mangled) once each, following symbolic links, skipping hidden entries and
// the excluded folders, and offers every image file with the city its folder names.
import { readdir, realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { ImportError } from '../../../shared/contract/library-types';
import { matchCityName } from './city-match';
import { decodeUtf8, escapeBytes, extensionOf, IMAGE_EXTENSIONS } from './file-names';
import { describeFsError } from '../../platform/fs-errors';
import type { Candidate } from './scan';

const SEP = Buffer.from(sep);

export type FolderWalkOptions = {
  cityNames: readonly string[];
  /** Real paths never walked into. */
  excluded: ReadonlySet<string>;
  isCancelled(): boolean;
  add(candidate: Candidate): void;
  errors: ImportError[];
};

export class FolderWalk {
  /** Real paths already walked (across every input), so links and repeats are walked once. */
  private readonly visited = new Set<string>();

  constructor(private readonly options: FolderWalkOptions) {}

  /**
   * Walks `dir`. A sub-folder of the input folder (depth 0) named like a library city labels
   * everything below it; otherwise `label` (the input folder's own city, if any) carries down.
   */
  async walk(dir: Buffer, label: string | null, root: string, depth: number): Promise<void> {
    const { options } = this;
    if (options.isCancelled()) return;
    const real = await realpath(dir, { encoding: 'buffer' }).catch(() => dir);
    const key = real.toString('latin1');
    if (this.visited.has(key) || options.excluded.has(decodeUtf8(real) ?? '')) return;
    this.visited.add(key);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      options.errors.push({
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
      const kind = await this.kindOf(entry, full);
      if (kind === 'dir') {
        const name = decodeUtf8(entry.name);
        const childLabel =
          depth === 0 && name !== null ? (matchCityName(name, options.cityNames) ?? label) : label;
        await this.walk(full, childLabel, root, depth + 1);
      } else if (kind === 'file' && IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        this.offerFile(full, label, root);
      }
    }
  }

  /** What an entry is, following a symbolic link; a broken link to an image is an error. */
  private async kindOf(
    entry: { name: Buffer; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean },
    full: Buffer,
  ): Promise<'dir' | 'file' | 'other'> {
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        if (IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
          this.options.errors.push({ path: escapeBytes(full), reason: 'broken symbolic link' });
        }
        return 'other';
      }
    }
    return isDir ? 'dir' : isFile ? 'file' : 'other';
  }

  private offerFile(full: Buffer, label: string | null, root: string): void {
    const path = decodeUtf8(full);
    if (path === null) {
      this.options.errors.push({
        path: escapeBytes(full),
        reason: 'the file name is not valid UTF-8 (shown with \\x escapes); rename it to import it',
      });
      return;
    }
    this.options.add({
      path,
      explicit: false,
      label: label === null ? null : { city: label, source: 'folder' },
      position: null,
      source: `folder:${root}`,
    });
  }
}

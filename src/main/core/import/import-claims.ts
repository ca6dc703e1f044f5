// Content hashes claimed in one import run, so two copies decoded at the same time count once,
// with the city their folder or manifest named (the library's label for them once committed).
import type { Candidate } from './scan';

export class ContentClaims {
  private readonly paths = new Map<string, string>();
  private readonly labels = new Map<string, string | null>();

  /** The path that claimed `contentHash` in this run, if any. */
  pathOf(contentHash: string): string | undefined {
    return this.paths.get(contentHash);
  }

  claim(contentHash: string, candidate: Candidate): void {
    this.paths.set(contentHash, candidate.path);
    this.labels.set(contentHash, candidate.label?.city ?? null);
  }

  /** Gives a hash back when its file was not imported after all (a failed decode, an error). */
  release(contentHash: string): void {
    this.paths.delete(contentHash);
    this.labels.delete(contentHash);
  }

  /**
   * A copy whose folder names another city than the first copy's label: the same photo cannot be
   * in both, so one label is wrong, and the person should hear of it rather than find it later.
   * `libraryLabel` reads the label of a copy committed earlier.
   */
  labelConflict(
    c: Candidate,
    contentHash: string,
    firstPath: string,
    libraryLabel: (path: string) => string | null,
  ): string | undefined {
    if (c.label === null) return undefined;
    const first = this.labels.get(contentHash) ?? libraryLabel(firstPath);
    if (first !== null && first.toLowerCase() === c.label.city.toLowerCase()) return undefined;
    return first === null
      ? `same photo labeled ${c.label.city} here and unlabeled in the library; the library keeps no label`
      : `same photo labeled ${c.label.city} here and ${first} in the library; the library keeps ${first}`;
  }
}

// Temp files that a killed write left beside people's photos. Every write into a photo folder goes
// through a temp file named after its target and the writing process (`a.xmp.<pid>-<8 hex>.tmp`,
// or hidden: `.a.jpg.<pid>-<8 hex>.tmp`) and is renamed into place; a kill between the two leaves
// the temp file behind. The next write of the same target removes those whose process is gone:
// only names of exactly our form for that target, so nobody else's file is ever touched.
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temp file beside `path` for this process; `hidden` puts a dot in front (photo copies). */
export function tempPathFor(path: string, hidden = false): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  return join(dirname(path), `${hidden ? '.' : ''}${basename(path)}.${suffix}`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the temp files a killed write of `target` left in its folder (`names`: the folder's
 * listing, when the caller has one). Returns the paths removed. Never throws: cleaning up is a
 * courtesy, and the write itself must go on.
 */
export function removeLeftTemps(target: string, names?: readonly string[]): string[] {
  const dir = dirname(target);
  const form = new RegExp(`^\\.?${escapeRegExp(basename(target))}\\.(\\d+)-[0-9a-f]{8}\\.tmp$`);
  const removed: string[] = [];
  try {
    for (const name of names ?? readdirSync(dir)) {
      const pid = form.exec(name)?.[1];
      if (pid === undefined || !processIsGone(Number(pid))) continue;
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  } catch {
    // An unreadable folder: the write that follows reports the real problem.
  }
  return removed;
}

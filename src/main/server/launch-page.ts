// Opening the studio in the browser without putting its token on a command line. Arguments of
// `xdg-open URL` / `open URL` are visible to every local user (ps, /proc/<pid>/cmdline), and the
// token is the only thing between them and the library. So the browser is given a file instead:
// a page readable by this user only (0600) that sends the browser on to the link. Its path says
// nothing; the file is deleted once the browser has had time to read it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page: an immediate redirect, no referrer sent on, and a link if refresh is disabled. */
export function launchPageHtml(link: string): string {
  const href = escapeHtml(link);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>LittlePlaNet Studio</title>
</head>
<body><p><a href="${href}">Open LittlePlaNet Studio</a></p></body>
</html>
`;
}

export type LaunchPage = { path: string; remove(): void };

/**
 * Writes the launch page into `dir` (created if missing) as a new file only this user can read.
 * `remove` deletes it (idempotent); it is also deleted after `keepMs` (the browser reads it within
 * a second or two; a slow start gets a minute).
 */
export function writeLaunchPage(dir: string, link: string, keepMs = 60_000): LaunchPage {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `littleplanet-open-${randomBytes(8).toString('hex')}.html`);
  writeFileSync(path, launchPageHtml(link), { mode: 0o600, flag: 'wx' });
  const remove = (): void => {
    clearTimeout(timer);
    rmSync(path, { force: true });
  };
  const timer = setTimeout(remove, keepMs);
  timer.unref();
  return { path, remove };
}

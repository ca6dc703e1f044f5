import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type OpenResult = { opened: true; opener: string } | { opened: false; reason: string };

type Opener = { command: string; args: (url: string) => string[] };

/** The desktop's own "open this URL" command; none exists on a bare server or in a container. */
function openerFor(platform: NodeJS.Platform): Opener {
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: (url) => [url] };
    case 'win32':
      // `start` is a cmd built-in; its first quoted argument is the window title, hence the "".
      return { command: 'cmd', args: (url) => ['/c', 'start', '""', url] };
    default:
      return { command: 'xdg-open', args: (url) => [url] };
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const ext of extensions) {
      try {
        accessSync(join(dir, command + ext), constants.X_OK);
        return true;
      } catch {
        // not here; keep looking
      }
    }
  }
  return false;
}

/** Opens `url` in the default browser without waiting for it; says which command it used or why not. */
export function openInBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): OpenResult {
  const opener = openerFor(platform);
  if (!onPath(opener.command, env, platform)) {
    return { opened: false, reason: `${opener.command} was not found on PATH` };
  }
  const child = spawn(opener.command, opener.args(url), {
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
  });
  child.on('error', () => undefined);
  child.unref();
  return { opened: true, opener: opener.command };
}

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpBridge, type BridgeCore, type HttpBridge } from './http-bridge';
import { writeLaunchPage } from './launch-page';
import { openInBrowser, type OpenResult } from './open-browser';

/**
 * Serving the UI without Electron, shared by `littleplanet serve` (src/main/cli/serve-command.ts)
 * and the standalone server (src/main/server/main.ts, `npm start`'s fallback), so both print the
 * same link, say the same things and open the browser the same way.
 */

export type ServeOptions = {
  core: BridgeCore;
  /** 0 picks a free port. */
  port: number;
  /** The built UI; when it holds no index.html the bridge still starts and `/` says how to build. */
  staticDir: string;
  /** Open the link in the default browser once the bridge listens. */
  open: boolean;
  /** Prints the one line a script reads (the link); called once, before a browser is opened. */
  announce: (link: string, port: number) => void;
  /** Lines for a person (stderr). */
  log: (line: string) => void;
  /** Tests replace the browser launcher; it is given a file path or URL, never the token. */
  openBrowser?: (target: string) => OpenResult;
  /** Where the launch page is written (default: the system's temp folder). */
  launchDir?: string;
};

/**
 * The link a person or script opens: the token rides in the query string, which the renderer reads
 * and then removes from the address bar (src/renderer/transport/token.ts).
 */
export function bridgeLink(bridge: Pick<HttpBridge, 'url' | 'token'>): string {
  return `${bridge.url}?token=${encodeURIComponent(bridge.token)}`;
}

export async function serveStudio(options: ServeOptions): Promise<HttpBridge> {
  const { log } = options;
  const index = join(options.staticDir, 'index.html');
  if (!existsSync(index)) log(`The UI is not built (no ${index}); run \`npm run build\`.`);
  const bridge = await startHttpBridge({
    core: options.core,
    port: options.port,
    staticDir: options.staticDir,
  });
  const link = bridgeLink(bridge);
  options.announce(link, bridge.port);
  log(
    `LittlePlaNet Studio is serving on ${bridge.url} (this computer only). Press Ctrl-C to stop.`,
  );
  if (options.open) {
    // A missing or failing browser launcher is normal on a server or in a container: the printed
    // link still works, so this is a warning, never a reason to stop.
    let opened: OpenResult;
    try {
      // The browser gets a private file that redirects to the link, not the link itself: a
      // command line is readable by every local user (see launch-page.ts).
      const page = writeLaunchPage(options.launchDir ?? tmpdir(), link);
      const close = bridge.close.bind(bridge);
      bridge.close = () => {
        page.remove();
        return close();
      };
      opened = (options.openBrowser ?? openInBrowser)(page.path);
    } catch (error) {
      opened = { opened: false, reason: error instanceof Error ? error.message : String(error) };
    }
    log(
      opened.opened
        ? `Opening the link in your browser with ${opened.opener}.`
        : `Warning: not opening a browser: ${opened.reason}. Open the link above yourself.`,
    );
  }
  return bridge;
}

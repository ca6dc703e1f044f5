// The app's life: which library opens at start, what happens when it is ready, reopened, left
// without windows, and how quitting waits for the core to close.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '../../shared/contract/client';
import type { StudioCore } from '../core/studio-core';
import { appMenuTemplate } from './app-menu';
import { APP_SCHEME, ASSET_SCHEME, serveAppRequest, serveAssetRequest } from './app-protocols';
import type { AppLike, ElectronMain } from './electron-api';
import type { ShellStateStore } from './shell-state';
import { APP_NAME, hardenContents, type StudioWindow } from './studio-window';

/** `--library DIR` / `--library=DIR` on the command line, else LITTLEPLANET_LIBRARY. */
function libraryFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--library=')) return resolve(arg.slice('--library='.length));
    if (arg === '--library' && argv[i + 1] !== undefined) return resolve(argv[i + 1] ?? '');
  }
  const fromEnv = env.LITTLEPLANET_LIBRARY;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : null;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The library to open at start: the one asked for, else the last one if its folder still exists. */
export function libraryToOpen(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  lastLibrary: string | undefined,
): string | null {
  const asked = libraryFromArgs(argv, env);
  if (asked !== null) return asked;
  return lastLibrary !== undefined && isFolder(lastLibrary) ? lastLibrary : null;
}

export type LifecycleDeps = {
  electron: ElectronMain;
  core: StudioCore;
  client: Client;
  state: ShellStateStore;
  window: StudioWindow;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The built UI (build/renderer). */
  rendererDir: string;
};

/** Whatever door opened a library (the command line, the open-library screen), it reopens next time. */
export function rememberOpenedLibrary(deps: LifecycleDeps): void {
  deps.core.subscribe((event) => {
    if (event.channel !== 'library' || event.payload.what !== 'opened') return;
    deps.client.call('library.info', {}).then(
      (info) => deps.state.update({ lastLibrary: info.dir }),
      (error: unknown) => console.error('Could not read the opened library:', error),
    );
  });
}

/** New pages are hardened; a second launch or a dock click shows the window; no window quits (but on macOS). */
export function handleAppEvents(deps: LifecycleDeps): void {
  const { app, shell } = deps.electron;
  app.on('web-contents-created', (_event, contents) => hardenContents(shell, contents));
  app.on('second-instance', deps.window.show);
  app.on('activate', deps.window.show);
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
}

/** Closes the core (jobs, SQLite) before the process ends; quitting waits for it once. */
export function closeCoreOnQuit(app: AppLike, core: StudioCore): void {
  let coreClosed = false;
  let closing = false;
  app.on('will-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    core
      .close()
      .catch((error: unknown) => console.error('Closing the library failed:', error))
      .finally(() => {
        coreClosed = true;
        app.quit();
      });
  });
}

function showAbout(electron: ElectronMain): void {
  electron.dialog
    .showMessageBox({
      type: 'info',
      title: `About ${APP_NAME}`,
      message: APP_NAME,
      detail: `Version ${electron.app.getVersion()}\nElectron ${process.versions.electron ?? '?'}, Node ${process.versions.node}`,
      buttons: ['OK'],
    })
    .catch((error: unknown) => console.error('The About box failed:', error));
}

/**
 * Once Electron is ready: no permissions for any page, the app:// and asset:// protocols, the
 * native menu, the library to open, then the window. A failed start exits with status 1.
 */
export function startWhenReady(deps: LifecycleDeps): void {
  const { app, Menu, protocol, session } = deps.electron;
  app
    .whenReady()
    .then(async () => {
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
        callback(false),
      );
      session.defaultSession.setPermissionCheckHandler(() => false);
      protocol.handle(APP_SCHEME, (request) => serveAppRequest(deps.rendererDir, request));
      protocol.handle(ASSET_SCHEME, (request) =>
        serveAssetRequest((kind, id) => deps.core.assetPath(kind, id), request),
      );
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          appMenuTemplate({
            platform: deps.platform,
            isPackaged: app.isPackaged,
            appName: APP_NAME,
            actions: { navigate: deps.window.navigate, about: () => showAbout(deps.electron) },
          }),
        ),
      );
      const library = libraryToOpen(deps.argv, deps.env, deps.state.get().lastLibrary);
      if (library !== null) {
        // A library that fails to open is reported; the UI then asks for one.
        await deps.client
          .call('library.open', { dir: library, create: false })
          .catch((error: unknown) => console.error(`Could not open ${library}:`, error));
      }
      deps.window.show();
    })
    .catch((error: unknown) => {
      console.error('LittlePlaNet Studio failed to start:', error);
      app.exit(1);
    });
}

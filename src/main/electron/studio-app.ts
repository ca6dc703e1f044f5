import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from '../../shared/contract/client';
import type { AppEvent } from '../../shared/contract/job-types';
import { inProcessTransport } from '../core/in-process-transport';
import { collectOptionsFromEnv } from '../core/collect/collect-setup';
import { StudioCore } from '../core/studio-core';
import { utilitySpawner } from '../ml-host/host/client';
import { appMenuTemplate } from './app-menu';
import {
  APP_URL,
  APP_SCHEME,
  ASSET_SCHEME,
  isAppUrl,
  registerSchemes,
  serveAppRequest,
  serveAssetRequest,
} from './app-protocols';
import type { PickKind } from '../../shared/contract/client';
import type {
  AppWebContents,
  BrowserWindowLike,
  ElectronMain,
  OpenDialogOptionsLike,
} from './electron-api';
import { EVENT_CHANNEL } from './ipc-channels';
import { attachIpcDoor, type IpcDoor } from './ipc-door';
import { safeSecretStore } from './safe-secret-store';
import { openShellState, type ShellStateStore } from './shell-state';
import { boundsToRestore } from './window-bounds';

/**
 * The Electron main process, given Electron's API (src/main/electron/main.ts passes the real one;
 * tests pass fakes and start it several times). One window, hardened per Electron's security
 * checklist: context isolation, sandbox, no Node in the page, a strict CSP, no navigation or new
 * windows, no permissions, one narrow IPC door. It remembers the window's bounds and the last
 * library between runs, and has a native menu with keyboard shortcuts.
 */

/** The native dialog for each kind of pick the Import view offers. */
export function pickDialog(kind: PickKind): OpenDialogOptionsLike {
  switch (kind) {
    case 'folders':
      return {
        title: 'Import folders',
        buttonLabel: 'Import',
        properties: ['openDirectory', 'multiSelections'],
      };
    case 'files':
      return {
        title: 'Import photos',
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections'],
        filters: [
          {
            name: 'Photos',
            extensions: ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'avif', 'heic', 'heif'],
          },
        ],
      };
    case 'csv':
      return {
        title: 'Import a CSV manifest',
        buttonLabel: 'Use manifest',
        properties: ['openFile'],
        filters: [{ name: 'CSV manifest', extensions: ['csv', 'txt'] }],
      };
  }
}

export type StudioAppOptions = {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The built UI (build/renderer) and preload bundle next to the main bundle. */
  rendererDir: string;
  preloadPath: string;
};

const APP_NAME = 'LittlePlaNet Studio';
const DEFAULT_SIZE = { width: 1280, height: 820 };
const MINIMUM_SIZE = { minWidth: 900, minHeight: 600 };

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

export function startStudio(electron: ElectronMain, options: StudioAppOptions): void {
  const { app, BrowserWindow, ipcMain, Menu, protocol, screen, session, shell } = electron;

  /** Links to the web open in the user's browser; everything else is dropped. */
  const openOutside = (url: string): void => {
    if (/^https?:\/\//i.test(url)) {
      shell
        .openExternal(url)
        .catch((error: unknown) => console.error('openExternal failed:', error));
    }
  };

  const hardenContents = (contents: AppWebContents): void => {
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    const stayInApp = (event: { preventDefault(): void; url: string }): void => {
      if (!isAppUrl(event.url)) {
        event.preventDefault();
        openOutside(event.url);
      }
    };
    contents.on('will-navigate', stayInApp);
    contents.on('will-redirect', stayInApp);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  };

  const createWindow = (core: StudioCore, state: ShellStateStore): BrowserWindowLike => {
    const saved = state.get();
    const bounds = boundsToRestore(
      saved.bounds,
      screen.getAllDisplays().map((display) => display.workArea),
      MINIMUM_SIZE,
    );
    const appWindow = new BrowserWindow({
      ...(bounds ?? DEFAULT_SIZE),
      ...MINIMUM_SIZE,
      show: false,
      title: APP_NAME,
      backgroundColor: '#111418',
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
        allowRunningInsecureContent: false,
        spellcheck: false,
      },
    });
    // Maximised only over bounds that fit: the un-maximised size must be reachable too.
    if (bounds !== null && saved.maximized === true) appWindow.maximize();
    const door: IpcDoor = attachIpcDoor({
      ipcMain,
      core,
      webContents: appWindow.webContents,
      isTrustedUrl: isAppUrl,
      pickPaths: async (kind) => {
        const picked = await electron.dialog.showOpenDialog(pickDialog(kind));
        return picked.canceled ? [] : picked.filePaths;
      },
    });
    appWindow.on('close', () =>
      state.update({ bounds: appWindow.getNormalBounds(), maximized: appWindow.isMaximized() }),
    );
    appWindow.on('closed', () => door.dispose());
    appWindow.once('ready-to-show', () => appWindow.show());
    appWindow
      .loadURL(APP_URL)
      .catch((error: unknown) => console.error('Loading the UI failed:', error));
    return appWindow;
  };

  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the library (SQLite, job state); it gets focused instead.
    app.quit();
    return;
  }
  app.enableSandbox();
  registerSchemes(protocol);

  const core = new StudioCore({
    version: app.getVersion(),
    transportName: 'electron',
    // API keys of the photo collectors: encrypted with the OS keychain, never in the library.
    collect: {
      ...collectOptionsFromEnv(options.env),
      secrets: safeSecretStore(electron.safeStorage, app.getPath('userData'), options.env),
    },
    // TensorFlow never runs in the main process: the ML host is an Electron utility process.
    ml: {
      spawner: utilitySpawner((path, args, forkOptions) =>
        electron.utilityProcess.fork(path, args, forkOptions),
      ),
    },
  });
  const client = createClient(inProcessTransport(core));
  const state = openShellState(app.getPath('userData'));
  let appWindow: BrowserWindowLike | null = null;
  const showWindow = (): void => {
    if (appWindow === null || appWindow.isDestroyed()) {
      appWindow = createWindow(core, state);
    } else {
      if (appWindow.isMinimized()) appWindow.restore();
      appWindow.focus();
    }
  };
  /** Menu navigation goes to this app's window only, never through the core to other doors. */
  const navigate = (view: string): void => {
    if (appWindow === null || appWindow.isDestroyed()) {
      // macOS keeps the menu with no window open: open one (at its default screen).
      showWindow();
      return;
    }
    const event: AppEvent = { channel: 'ui', payload: { type: 'navigate', view } };
    appWindow.webContents.send(EVENT_CHANNEL, event);
    appWindow.focus();
  };
  const about = (): void => {
    electron.dialog
      .showMessageBox({
        type: 'info',
        title: `About ${APP_NAME}`,
        message: APP_NAME,
        detail: `Version ${app.getVersion()}\nElectron ${process.versions.electron ?? '?'}, Node ${process.versions.node}`,
        buttons: ['OK'],
      })
      .catch((error: unknown) => console.error('The About box failed:', error));
  };

  // Whatever door opened a library (the command line, the open-library screen), it is the one to
  // reopen next time.
  core.subscribe((event) => {
    if (event.channel !== 'library' || event.payload.what !== 'opened') return;
    client.call('library.info', {}).then(
      (info) => state.update({ lastLibrary: info.dir }),
      (error: unknown) => console.error('Could not read the opened library:', error),
    );
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  // Close the core (jobs, SQLite) before the process ends; quitting waits for it once.
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

  app
    .whenReady()
    .then(async () => {
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
        callback(false),
      );
      session.defaultSession.setPermissionCheckHandler(() => false);
      protocol.handle(APP_SCHEME, (request) => serveAppRequest(options.rendererDir, request));
      protocol.handle(ASSET_SCHEME, (request) =>
        serveAssetRequest((kind, id) => core.assetPath(kind, id), request),
      );
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          appMenuTemplate({
            platform: options.platform,
            isPackaged: app.isPackaged,
            appName: APP_NAME,
            actions: { navigate, about },
          }),
        ),
      );
      const library = libraryToOpen(options.argv, options.env, state.get().lastLibrary);
      if (library !== null) {
        // A library that fails to open is reported; the UI then asks for one.
        await client
          .call('library.open', { dir: library, create: false })
          .catch((error: unknown) => console.error(`Could not open ${library}:`, error));
      }
      showWindow();
    })
    .catch((error: unknown) => {
      console.error('LittlePlaNet Studio failed to start:', error);
      app.exit(1);
    });
}

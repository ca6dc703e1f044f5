import { join, resolve } from 'node:path';
import { createClient } from '../../shared/contract/client';
import { inProcessTransport } from '../core/in-process-transport';
import { StudioCore } from '../core/studio-core';
import { utilitySpawner } from '../ml/host/client';
import {
  APP_URL,
  APP_SCHEME,
  ASSET_SCHEME,
  isAppUrl,
  registerSchemes,
  serveAppRequest,
  serveAssetRequest,
} from './app-protocols';
import {
  requireElectron,
  type AppWebContents,
  type BrowserWindowLike,
  type ElectronMain,
} from './electron-api';
import { attachIpcDoor, type IpcDoor } from './ipc-door';

/**
 * The Electron main process (bundled to build/electron-main.cjs, next to preload.cjs and renderer/).
 * One window, hardened per Electron's security checklist: context isolation, sandbox, no Node in the
 * page, a strict CSP, no navigation or new windows, no permissions, one narrow IPC door.
 */

const electron = requireElectron<ElectronMain>();
const { app, BrowserWindow, ipcMain, protocol, session, shell, utilityProcess } = electron;

const rendererDir = join(__dirname, 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');

/** `--library DIR` / `--library=DIR` on the command line, else LITTLEPLANET_LIBRARY. */
function libraryFromArgs(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--library=')) return resolve(arg.slice('--library='.length));
    if (arg === '--library' && argv[i + 1] !== undefined) return resolve(argv[i + 1] ?? '');
  }
  const fromEnv = process.env.LITTLEPLANET_LIBRARY;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : null;
}

/** Links to the web open in the user's browser; everything else is dropped. */
function openOutside(url: string): void {
  if (/^https?:\/\//i.test(url)) {
    shell.openExternal(url).catch((error: unknown) => console.error('openExternal failed:', error));
  }
}

function hardenContents(contents: AppWebContents): void {
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
}

function createWindow(core: StudioCore): BrowserWindowLike {
  const appWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LittlePlaNet Studio',
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
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
  const door: IpcDoor = attachIpcDoor({
    ipcMain,
    core,
    webContents: appWindow.webContents,
    isTrustedUrl: isAppUrl,
  });
  appWindow.on('closed', () => door.dispose());
  appWindow.once('ready-to-show', () => appWindow.show());
  appWindow
    .loadURL(APP_URL)
    .catch((error: unknown) => console.error('Loading the UI failed:', error));
  return appWindow;
}

function start(): void {
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
    // TensorFlow never runs in the main process: the ML host is an Electron utility process.
    ml: {
      spawner: utilitySpawner((path, args, options) => utilityProcess.fork(path, args, options)),
    },
  });
  let appWindow: BrowserWindowLike | null = null;
  const showWindow = (): void => {
    if (appWindow === null || appWindow.isDestroyed()) {
      appWindow = createWindow(core);
    } else {
      if (appWindow.isMinimized()) appWindow.restore();
      appWindow.focus();
    }
  };

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
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
      protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
      protocol.handle(ASSET_SCHEME, (request) =>
        serveAssetRequest((kind, id) => core.assetPath(kind, id), request),
      );
      const library = libraryFromArgs(process.argv);
      if (library !== null) {
        // A library that fails to open is reported; the UI then asks for one.
        await createClient(inProcessTransport(core))
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

start();

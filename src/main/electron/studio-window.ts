// The app's one window: hardened per Electron's security checklist (context isolation, sandbox,
// no Node in the page, no navigation or new windows), restored to its last bounds, with the IPC
// door attached for as long as it lives.
import type { AppEvent } from '../../shared/contract/job-types';
import type { StudioCore } from '../core/studio-core';
import { APP_URL, isAppUrl } from './app-protocols';
import type { AppWebContents, BrowserWindowLike, ElectronMain } from './electron-api';
import { EVENT_CHANNEL } from './ipc-channels';
import type { ShellStateStore } from './shell-state';
import { attachStudioIpc } from './studio-ipc';
import { boundsToRestore } from './window-bounds';

export const APP_NAME = 'LittlePlaNet Studio';
const DEFAULT_SIZE = { width: 1280, height: 820 };
const MINIMUM_SIZE = { minWidth: 900, minHeight: 600 };

/** Links to the web open in the user's browser; everything else is dropped. */
function openOutside(shell: ElectronMain['shell'], url: string): void {
  if (/^https?:\/\//i.test(url)) {
    shell.openExternal(url).catch((error: unknown) => console.error('openExternal failed:', error));
  }
}

/** Every page the app creates stays in the app: new windows and foreign navigation go outside. */
export function hardenContents(shell: ElectronMain['shell'], contents: AppWebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(shell, url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void; url: string }): void => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      openOutside(shell, event.url);
    }
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export type StudioWindowDeps = {
  electron: ElectronMain;
  core: StudioCore;
  state: ShellStateStore;
  preloadPath: string;
};

function createWindow(deps: StudioWindowDeps): BrowserWindowLike {
  const { electron, state } = deps;
  const saved = state.get();
  const bounds = boundsToRestore(
    saved.bounds,
    electron.screen.getAllDisplays().map((display) => display.workArea),
    MINIMUM_SIZE,
  );
  const appWindow = new electron.BrowserWindow({
    ...(bounds ?? DEFAULT_SIZE),
    ...MINIMUM_SIZE,
    show: false,
    title: APP_NAME,
    backgroundColor: '#111418',
    webPreferences: {
      preload: deps.preloadPath,
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
  const door = attachStudioIpc(electron, deps.core, appWindow.webContents);
  appWindow.on('close', () =>
    state.update({ bounds: appWindow.getNormalBounds(), maximized: appWindow.isMaximized() }),
  );
  appWindow.on('closed', () => door.dispose());
  appWindow.once('ready-to-show', () => appWindow.show());
  appWindow
    .loadURL(APP_URL)
    .catch((error: unknown) => console.error('Loading the UI failed:', error));
  return appWindow;
}

export type StudioWindow = {
  /** Opens the window, or brings the open one forward. */
  show: () => void;
  /** Shows a view in this app's window only, never through the core to other doors. */
  navigate: (view: string) => void;
};

export function studioWindow(deps: StudioWindowDeps): StudioWindow {
  let appWindow: BrowserWindowLike | null = null;
  const show = (): void => {
    if (appWindow === null || appWindow.isDestroyed()) {
      appWindow = createWindow(deps);
    } else {
      if (appWindow.isMinimized()) appWindow.restore();
      appWindow.focus();
    }
  };
  const navigate = (view: string): void => {
    if (appWindow === null || appWindow.isDestroyed()) {
      // macOS keeps the menu with no window open: open one (at its default screen).
      show();
      return;
    }
    const event: AppEvent = { channel: 'ui', payload: { type: 'navigate', view } };
    appWindow.webContents.send(EVENT_CHANNEL, event);
    appWindow.focus();
  };
  return { show, navigate };
}

import type { UtilityProcessLike } from '../ml/host/client';
/**
 * The small part of Electron's API this app uses, as local structural types.
 *
 * Why not `import … from 'electron'`: the electron package is an optional dependency whose install
 * downloads a binary, so CI (`npm ci` offline) leaves it out and the project must still type-check.
 * electron-api.check.cjs, compiled by tsconfig.electron.json whenever the package is present, proves
 * the real Electron types are assignable to these, so they cannot silently drift from the real API.
 */

/** The main-process event object of Electron, for the events we veto. */
export type PreventableEvent = { preventDefault(): void };

export type WebFrameLike = {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: WebFrameLike | null;
};

/** The part of WebContents the IPC door needs: where events go, and who is asking. */
export type WebContentsLike = {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
};

export type IpcMainInvokeEventLike = {
  readonly sender: WebContentsLike;
  /** null once the frame navigated away or was destroyed. */
  readonly senderFrame: WebFrameLike | null;
};

export type IpcMainLike = {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
};

export type WindowOpenDetails = { url: string };

/** WebContents as the window code sees it: the IPC part plus the navigation guards. */
export type AppWebContents = WebContentsLike & {
  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'deny' }): void;
  on(
    event: 'will-navigate',
    listener: (event: PreventableEvent & { url: string }) => void,
  ): unknown;
  on(
    event: 'will-redirect',
    listener: (event: PreventableEvent & { url: string }) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
};

export type WindowOptions = {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInWorker: boolean;
    webSecurity: boolean;
    webviewTag: boolean;
    allowRunningInsecureContent: boolean;
    spellcheck: boolean;
  };
};

export type BrowserWindowLike = {
  readonly webContents: AppWebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
};

export type BrowserWindowClass = {
  new (options: WindowOptions): BrowserWindowLike;
  getAllWindows(): BrowserWindowLike[];
};

export type SchemePrivileges = {
  standard?: boolean;
  secure?: boolean;
  supportFetchAPI?: boolean;
  corsEnabled?: boolean;
  stream?: boolean;
};

export type ProtocolLike = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: SchemePrivileges }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
};

export type SessionLike = {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
};

export type AppLike = {
  readonly isPackaged: boolean;
  getVersion(): string;
  whenReady(): Promise<void>;
  enableSandbox(): void;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: PreventableEvent, contents: AppWebContents) => void,
  ): unknown;
};

/** What src/main/electron/main.ts uses from `require('electron')` in the main process. */
export type ElectronMain = {
  app: AppLike;
  BrowserWindow: BrowserWindowClass;
  ipcMain: IpcMainLike;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  shell: { openExternal(url: string): Promise<void> };
  /** Runs the ML host (TensorFlow) outside the main process, so inference never freezes the UI. */
  utilityProcess: { fork: UtilityFork };
};

type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: 'pipe'; execArgv?: string[] },
) => UtilityProcessLike;

/** What the preload uses: the one bridge into the page and the IPC pipe behind it. */
export type ElectronPreload = {
  contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    removeListener(
      channel: string,
      listener: (event: unknown, ...args: unknown[]) => void,
    ): unknown;
  };
};

/**
 * Loads Electron at run time, typed as the subset above. Only callable inside Electron: in plain
 * Node `require('electron')` returns the path of the Electron binary instead of the API.
 */
export function requireElectron<T extends ElectronMain | ElectronPreload>(): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the file comment: no static import of an optional package
  const loaded = require('electron') as unknown;
  if (typeof loaded !== 'object' || loaded === null) {
    throw new Error(
      'This entry must run inside Electron (require("electron") did not return its API).',
    );
  }
  return loaded as T;
}

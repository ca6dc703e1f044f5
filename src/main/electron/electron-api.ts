import type { UtilityProcessLike } from '../ml-host/host/client';
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

/** Electron's Rectangle: window bounds and display work areas, in screen coordinates. */
export type RectangleLike = { x: number; y: number; width: number; height: number };

export type WindowOptions = {
  /** Absent: the window is centred. */
  x?: number;
  y?: number;
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
  isMaximized(): boolean;
  maximize(): void;
  /** The bounds the window returns to when un-maximised: what is worth remembering. */
  getNormalBounds(): RectangleLike;
  once(event: 'ready-to-show', listener: () => void): unknown;
  /** Just before the window closes, while its bounds can still be read. */
  on(event: 'close', listener: () => void): unknown;
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
  /** Where per-user app data lives (the remembered window state). */
  getPath(name: 'userData'): string;
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

/** The roles the app menu uses: Electron implements these actions for the focused window. */
export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit';

/** One item of a menu template (Electron's MenuItemConstructorOptions, the part we use). */
export type MenuItemTemplate = {
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemTemplate[];
};

/** A built menu; the app only hands it back to Electron. */
export type MenuLike = { readonly items: readonly unknown[] };

export type MenuClass = {
  buildFromTemplate(template: MenuItemTemplate[]): MenuLike;
  setApplicationMenu(menu: MenuLike | null): void;
};

export type MessageBoxOptionsLike = {
  type: 'info';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
};

export type OpenDialogOptionsLike = {
  title: string;
  buttonLabel: string;
  properties: ('openFile' | 'openDirectory' | 'multiSelections')[];
  filters?: { name: string; extensions: string[] }[];
};

/** Electron's safeStorage: strings encrypted with the OS keychain (Keychain, DPAPI, libsecret). */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  /**
   * Linux only: which secret store backs the encryption. "basic_text" means no keyring was found
   * and a fixed, public password is used: obfuscation, not encryption.
   */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

/** What src/main/electron/main.ts uses from `require('electron')` in the main process. */
export type ElectronMain = {
  app: AppLike;
  BrowserWindow: BrowserWindowClass;
  ipcMain: IpcMainLike;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  shell: { openExternal(url: string): Promise<void> };
  Menu: MenuClass;
  dialog: {
    showMessageBox(options: MessageBoxOptionsLike): Promise<unknown>;
    /** The window-less overload: BaseWindow is far wider than our BrowserWindowLike subset. */
    showOpenDialog(
      options: OpenDialogOptionsLike,
    ): Promise<{ canceled: boolean; filePaths: string[] }>;
  };
  /** Only usable once the app is ready. */
  screen: { getAllDisplays(): { readonly workArea: RectangleLike }[] };
  /** Runs the ML host (TensorFlow) outside the main process, so inference never freezes the UI. */
  utilityProcess: { fork: UtilityFork };
  /** Keeps the collectors' API keys encrypted at rest (safe-secret-store.ts). */
  safeStorage: SafeStorageLike;
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

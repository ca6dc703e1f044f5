import type {
  AppWebContents,
  ElectronMain,
  MenuItemTemplate,
  MessageBoxOptionsLike,
  OpenDialogOptionsLike,
  PreventableEvent,
  RectangleLike,
  WindowOptions,
} from '../../src/main/electron/electron-api';
import { FakeIpcMain, FakeWebContents } from './fake-electron';

/**
 * A whole fake `electron` main-process API for starting src/main/electron/studio-app.ts in a test,
 * as many times as needed (each start gets its own fake). Records windows, menus and About boxes;
 * the test plays the user (moving and closing the window, clicking menu items) and the app (ready,
 * quit).
 */

type Listener = (...args: never[]) => unknown;

export class FakeContents extends FakeWebContents {
  readonly listeners = new Map<string, Listener>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
}

export type FakeWindow = {
  readonly options: WindowOptions;
  readonly urls: string[];
  readonly webContents: FakeContents & AppWebContents;
  /** What the window reports as its normal bounds: set it to "move" the window. */
  normalBounds: RectangleLike;
  maximized: boolean;
  /** Plays the user closing the window: 'close' (bounds still readable), then 'closed'. */
  close(): void;
};

export type FakeElectronMain = {
  electron: ElectronMain;
  ipcMain: FakeIpcMain;
  windows: FakeWindow[];
  /** Every template given to Menu.buildFromTemplate, in order. */
  menus: MenuItemTemplate[][];
  /** The menu last passed to Menu.setApplicationMenu (its template). */
  applicationMenu(): MenuItemTemplate[] | null;
  messageBoxes: MessageBoxOptionsLike[];
  /** Every file dialog opened, and what the user will choose in the next ones ([] = cancel). */
  openDialogs: OpenDialogOptionsLike[];
  openDialogAnswers: string[][];
  /** Resolves app.whenReady(). */
  ready(): void;
  /** Sends will-quit as Electron does on quit, and resolves once the app quit for real. */
  quit(): Promise<void>;
};

export function fakeElectronMain(options: {
  userData: string;
  displays: readonly RectangleLike[];
  isPackaged?: boolean;
}): FakeElectronMain {
  const windows: FakeWindow[] = [];
  const menus: MenuItemTemplate[][] = [];
  const messageBoxes: MessageBoxOptionsLike[] = [];
  const openDialogs: OpenDialogOptionsLike[] = [];
  const openDialogAnswers: string[][] = [];
  const appListeners = new Map<string, Listener>();
  const ipcMain = new FakeIpcMain();
  let applicationMenu: MenuItemTemplate[] | null = null;
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  let quitCalled!: () => void;
  const quitted = new Promise<void>((resolve) => (quitCalled = resolve));

  class FakeBrowserWindow {
    readonly webContents: FakeContents & AppWebContents;
    private readonly record: FakeWindow;
    private readonly listeners = new Map<string, (() => void)[]>();
    private destroyed = false;
    constructor(windowOptions: WindowOptions) {
      this.webContents = new FakeContents(100 + windows.length);
      const emit = (event: string): void => {
        for (const listener of this.listeners.get(event) ?? []) listener();
      };
      this.record = {
        options: windowOptions,
        urls: [],
        webContents: this.webContents,
        normalBounds: {
          x: windowOptions.x ?? 0,
          y: windowOptions.y ?? 0,
          width: windowOptions.width,
          height: windowOptions.height,
        },
        maximized: false,
        close: () => {
          emit('close');
          this.destroyed = true;
          this.webContents.destroy();
          emit('closed');
        },
      };
      windows.push(this.record);
    }
    static getAllWindows() {
      return [];
    }
    loadURL(url: string) {
      this.record.urls.push(url);
      return Promise.resolve();
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMaximized() {
      return this.record.maximized;
    }
    maximize() {
      this.record.maximized = true;
    }
    getNormalBounds() {
      return { ...this.record.normalBounds };
    }
    once(event: string, listener: () => void) {
      return this.on(event, listener);
    }
    on(event: string, listener: () => void) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
  }

  const electron: ElectronMain = {
    app: {
      isPackaged: options.isPackaged ?? false,
      getVersion: () => '7.7.7',
      getPath: () => options.userData,
      whenReady: () => whenReady,
      enableSandbox: () => undefined,
      requestSingleInstanceLock: () => true,
      quit: () => quitCalled(),
      exit: () => undefined,
      on(event: string, listener: Listener) {
        appListeners.set(event, listener);
        return this;
      },
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: () => Promise.resolve() },
    Menu: {
      buildFromTemplate(template) {
        menus.push(template);
        return { items: template };
      },
      setApplicationMenu(menu) {
        applicationMenu = menu === null ? null : (menu.items as MenuItemTemplate[]);
      },
    },
    dialog: {
      showMessageBox(box) {
        messageBoxes.push(box);
        return Promise.resolve({ response: 0 });
      },
      showOpenDialog(dialog) {
        openDialogs.push(dialog);
        const answer = openDialogAnswers.shift() ?? [];
        return Promise.resolve({ canceled: answer.length === 0, filePaths: answer });
      },
    },
    screen: { getAllDisplays: () => options.displays.map((workArea) => ({ workArea })) },
    utilityProcess: {
      fork: () => {
        throw new Error('These tests never start the ML host.');
      },
    },
    // Not encryption: enough for code that only round-trips keys through it.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text) => Buffer.from(text, 'utf8').reverse(),
      decryptString: (data) => Buffer.from(data).reverse().toString('utf8'),
    },
  };

  return {
    electron,
    ipcMain,
    windows,
    menus,
    applicationMenu: () => applicationMenu,
    messageBoxes,
    openDialogs,
    openDialogAnswers,
    ready,
    async quit() {
      const event: PreventableEvent = { preventDefault: () => undefined };
      appListeners.get('will-quit')?.call(null, ...([event] as never[]));
      await quitted;
    },
  };
}

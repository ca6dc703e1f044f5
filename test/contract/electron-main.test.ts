import { fork, type Serializable } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type {
  AppWebContents,
  ElectronMain,
  PreventableEvent,
  WindowOptions,
} from '../../src/main/electron/electron-api';
import { StudioCore } from '../../src/main/core/studio-core';
import { FakeIpcMain, FakeWebContents, topFrame } from './fake-electron';

/**
 * Loads the real src/main/electron/main.ts with a fake `electron` module and checks its wiring: the
 * window's security settings, the protocols, the IPC door, the navigation guards, permissions and
 * closing the core on quit. (The Electron binary is not available to tests.)
 */

type Listener = (...args: never[]) => unknown;

class FakeContents extends FakeWebContents {
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

const log: string[] = [];
const windows: { options: WindowOptions; urls: string[] }[] = [];
const appListeners = new Map<string, Listener>();
const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
const opened: string[] = [];
let permissionRequest: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null =
  null;
let permissionCheck: ((c: unknown, p: string) => boolean) | null = null;
const ipcMain = new FakeIpcMain();
const forks: { modulePath: string; serviceName: string }[] = [];
let ready!: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));
let quitCalled!: () => void;
const quit = new Promise<void>((resolve) => (quitCalled = resolve));

const fakeElectron: ElectronMain = {
  app: {
    isPackaged: false,
    getVersion: () => '7.7.7',
    getPath: () => join(root, 'user-data'),
    whenReady: () => whenReady,
    enableSandbox: () => void log.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    quit: () => {
      log.push('quit');
      quitCalled();
    },
    exit: (code) => void log.push(`exit ${code ?? 0}`),
    on(event: string, listener: Listener) {
      appListeners.set(event, listener);
      return this;
    },
  },
  BrowserWindow: class {
    static all: InstanceType<ElectronMain['BrowserWindow']>[] = [];
    readonly webContents: FakeContents & AppWebContents;
    private readonly record: { options: WindowOptions; urls: string[] };
    constructor(options: WindowOptions) {
      this.record = { options, urls: [] };
      windows.push(this.record);
      this.webContents = new FakeContents(100 + windows.length);
    }
    static getAllWindows() {
      return this.all;
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
      return false;
    }
    isMaximized() {
      return false;
    }
    maximize() {}
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 820 };
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
  },
  ipcMain,
  protocol: {
    registerSchemesAsPrivileged: (schemes) =>
      void log.push(`schemes ${schemes.map((s) => s.scheme).join(',')}`),
    handle: (scheme, handler) => void protocolHandlers.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler) => void (permissionRequest = handler),
      setPermissionCheckHandler: (handler) => void (permissionCheck = handler),
    },
  },
  shell: { openExternal: (url) => Promise.resolve(void opened.push(url)) },
  // The menu, the About box and the displays are checked in electron-shell.test.ts.
  Menu: {
    buildFromTemplate: (template) => ({ items: template }),
    setApplicationMenu: () => undefined,
  },
  dialog: {
    showMessageBox: () => Promise.resolve({ response: 0 }),
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  safeStorage: {
    isEncryptionAvailable: () => false,
    encryptString: () => {
      throw new Error('no keychain in these tests');
    },
    decryptString: () => '',
  },
  // A Node child process stands in for Electron's utility process: same messages, same entry.
  utilityProcess: {
    fork: (modulePath, args, options) => {
      forks.push({ modulePath, serviceName: options.serviceName });
      const execArgv = modulePath.endsWith('.ts') ? ['--import', 'tsx'] : [];
      const child = fork(modulePath, args, { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      return {
        get pid() {
          return child.pid;
        },
        postMessage: (message: unknown) => void child.send(message as Serializable),
        on: (event: 'message' | 'exit', listener: (value: never) => void) =>
          child.on(event, listener as (value: unknown) => void),
        kill: () => child.kill(),
        stdout: child.stdout,
        stderr: child.stderr,
      };
    },
  },
};

// Node's internal CommonJS loader hook; the one way to hand a module a fake `require('electron')`.
const loader = Module as unknown as {
  _load: (this: unknown, request: string, ...rest: unknown[]) => unknown;
};
const originalLoad = loader._load;
const root = mkdtempSync(join(tmpdir(), 'lp-electron-main-'));
const library = join(root, 'lib');
const originalArgv = process.argv;

after(() => {
  loader._load = originalLoad;
  process.argv = originalArgv;
  rmSync(root, { recursive: true, force: true });
});

test('the Electron main process wires a hardened window to the core', async () => {
  // A library given on the command line is opened at start (create it first through the CLI core).
  const setup = new StudioCore({ version: 'x' });
  await setup.handlers['library.open']({ dir: library, create: true });
  await setup.close();

  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fakeElectron : originalLoad.call(this, request, ...rest);
  };
  process.argv = [...originalArgv.slice(0, 2), '--library', library];
  // Loaded only now, with the fake in place: main.ts starts the app when it is loaded.
  await import('../../src/main/electron/main.js');

  assert.deepEqual(log, ['enableSandbox', 'schemes lp-app,lp-asset']);
  ready();
  for (let i = 0; i < 100 && windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

  assert.equal(windows.length, 1);
  const { options, urls } = windows[0] ?? assert.fail();
  assert.deepEqual(urls, ['lp-app://ui/index.html']);
  const prefs = options.webPreferences;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webviewTag, false);
  assert.match(prefs.preload, /preload\.cjs$/);
  assert.deepEqual([...protocolHandlers.keys()].sort(), ['lp-app', 'lp-asset']);

  // The IPC door answers the app page with the Electron transport and the library opened from argv.
  const info = await ipcMain.invoke(
    { sender: new FakeWebContents(101), senderFrame: topFrame('lp-app://ui/index.html') },
    'lp:invoke',
    ['app.info', {}],
  );
  assert.deepEqual(info, {
    ok: true,
    value: { version: '7.7.7', libraryOpen: true, transport: 'electron' },
  });

  // TensorFlow runs in a utility process, never in the main process.
  const ml = (await ipcMain.invoke(
    { sender: new FakeWebContents(101), senderFrame: topFrame('lp-app://ui/index.html') },
    'lp:invoke',
    ['ml.info', {}],
  )) as { ok: boolean; value?: { backend: { name: string }; hostPid: number | null } };
  assert.equal(ml.ok, true, JSON.stringify(ml));
  assert.equal(forks.length, 1);
  assert.match(forks[0]?.modulePath ?? '', /host-main\.ts$|ml-host\.cjs$/);
  assert.equal(forks[0]?.serviceName, 'LittlePlaNet ML');
  assert.notEqual(ml.value?.hostPid, process.pid);
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(ml.value?.backend.name ?? ''));

  // Every web contents gets the guards: no navigation away, no new windows, no webviews.
  const contents = new FakeContents(5) as FakeContents & AppWebContents;
  appListeners.get('web-contents-created')?.call(null, ...([{}, contents] as never[]));
  const navigate = (url: string): boolean => {
    let prevented = false;
    const event = { url, preventDefault: () => void (prevented = true) };
    contents.listeners.get('will-navigate')?.call(null, ...([event] as never[]));
    return prevented;
  };
  assert.equal(navigate('lp-app://ui/index.html#/cities'), false);
  assert.equal(navigate('https://example.org/page'), true);
  assert.equal(navigate('file:///etc/passwd'), true);
  assert.deepEqual(contents.openHandler?.({ url: 'https://example.org/docs' }), { action: 'deny' });
  assert.deepEqual(contents.openHandler?.({ url: 'javascript:alert(1)' }), { action: 'deny' });
  assert.deepEqual(opened, ['https://example.org/page', 'https://example.org/docs']);
  let webviewPrevented = false;
  contents.listeners
    .get('will-attach-webview')
    ?.call(null, ...([{ preventDefault: () => (webviewPrevented = true) }] as never[]));
  assert.ok(webviewPrevented);

  // No permission (camera, notifications, …) is ever granted.
  let granted: boolean | null = null;
  permissionRequest?.(null, 'media', (g) => (granted = g));
  assert.equal(granted, false);
  assert.equal(permissionCheck?.(null, 'geolocation'), false);

  // Quitting waits for the core to close, then quits for real.
  let prevented = 0;
  const quitEvent: PreventableEvent = { preventDefault: () => void prevented++ };
  appListeners.get('will-quit')?.call(null, ...([quitEvent] as never[]));
  await quit;
  assert.equal(prevented, 1);
  appListeners.get('will-quit')?.call(null, ...([quitEvent] as never[]));
  assert.equal(prevented, 1, 'the second will-quit (after the core closed) goes through');
});

import { createClient } from '../../shared/contract/client';
import { collectOptionsFromEnv } from '../core/collect/collect-setup';
import { inProcessTransport } from '../core/in-process-transport';
import { StudioCore } from '../core/studio-core';
import { utilitySpawner } from '../ml-host/host/client';
import { registerSchemes } from './app-protocols';
import type { ElectronMain } from './electron-api';
import { safeSecretStore } from './safe-secret-store';
import { openShellState } from './shell-state';
import {
  closeCoreOnQuit,
  handleAppEvents,
  rememberOpenedLibrary,
  startWhenReady,
} from './studio-lifecycle';
import { studioWindow } from './studio-window';

export type StudioAppOptions = {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The built UI (build/renderer) and preload bundle next to the main bundle. */
  rendererDir: string;
  preloadPath: string;
};

/** The core as the desktop app runs it: keys in the OS keychain, TensorFlow in a utility process. */
function desktopCore(electron: ElectronMain, env: NodeJS.ProcessEnv): StudioCore {
  const { app } = electron;
  return new StudioCore({
    version: app.getVersion(),
    transportName: 'electron',
    // API keys of the photo collectors: encrypted with the OS keychain, never in the library.
    collect: {
      ...collectOptionsFromEnv(env),
      secrets: safeSecretStore(electron.safeStorage, app.getPath('userData'), env),
    },
    // TensorFlow never runs in the main process: the ML host is an Electron utility process.
    ml: {
      spawner: utilitySpawner((path, args, forkOptions) =>
        electron.utilityProcess.fork(path, args, forkOptions),
      ),
    },
  });
}

/**
 * The Electron main process, given Electron's API (src/main/electron/main.ts passes the real one;
 * tests pass fakes and start it several times). One window (studio-window.ts) hardened per
 * Electron's security checklist, one narrow IPC door (studio-ipc.ts), and the app's life
 * (studio-lifecycle.ts): it remembers the window's bounds and the last library between runs, and
 * has a native menu with keyboard shortcuts.
 */
export function startStudio(electron: ElectronMain, options: StudioAppOptions): void {
  const { app, protocol } = electron;
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the library (SQLite, job state); it gets focused instead.
    app.quit();
    return;
  }
  app.enableSandbox();
  registerSchemes(protocol);

  const core = desktopCore(electron, options.env);
  const client = createClient(inProcessTransport(core));
  const state = openShellState(app.getPath('userData'));
  const window = studioWindow({ electron, core, state, preloadPath: options.preloadPath });
  const deps = { ...options, electron, core, client, state, window };
  rememberOpenedLibrary(deps);
  handleAppEvents(deps);
  closeCoreOnQuit(app, core);
  startWhenReady(deps);
}

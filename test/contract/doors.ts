import type { AssetKind, Transport } from '../../src/shared/contract/client';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { isAppUrl, serveAssetRequest } from '../../src/main/electron/app-protocols';
import { attachIpcDoor } from '../../src/main/electron/ipc-door';
import { createPreloadApi } from '../../src/main/preload/preload-api';
import { startHttpBridge } from '../../src/main/server/http-bridge';
import { FakeIpcMain, FakeWebContents, fakeIpcRenderer, topFrame } from './fake-electron';
import { rawRequest, httpTestTransport } from './http-client';

/** One door opened onto its own real StudioCore, as a client sees it. */
export type OpenDoor = {
  transport: Transport;
  /** The bytes of a cached image as the door serves it, or null when it answers "not found". */
  fetchAsset(kind: AssetKind, imageId: number): Promise<Buffer | null>;
  close(): Promise<void>;
};

export type Door = {
  name: string;
  /** What app.info reports as the transport. */
  transportName: string;
  open(): Promise<OpenDoor>;
};

const VERSION = '9.9.9-contract';

export const DOORS: readonly Door[] = [
  {
    name: 'in-process (CLI)',
    transportName: 'in-process',
    open() {
      const core = new StudioCore({ version: VERSION });
      return Promise.resolve({
        transport: inProcessTransport(core),
        async fetchAsset(kind, id) {
          const path = await core.assetPath(kind, id);
          return path === null ? null : (await import('node:fs/promises')).readFile(path);
        },
        close: () => core.close(),
      });
    },
  },
  {
    name: 'HTTP bridge',
    transportName: 'http',
    async open() {
      const core = new StudioCore({ version: VERSION, transportName: 'http' });
      const bridge = await startHttpBridge({ core, staticDir: null });
      const transport = await httpTestTransport(bridge.port, bridge.token);
      return {
        transport,
        async fetchAsset(kind, id) {
          const res = await rawRequest(bridge.port, {
            path: `/asset/${kind}/${id}?token=${bridge.token}`,
          });
          return res.status === 200 ? res.body : null;
        },
        async close() {
          transport.close();
          await bridge.close();
          await core.close();
        },
      };
    },
  },
  {
    name: 'Electron IPC (preload + door, Electron faked)',
    transportName: 'electron',
    open() {
      const core = new StudioCore({ version: VERSION, transportName: 'electron' });
      const ipcMain = new FakeIpcMain();
      const contents = new FakeWebContents(1);
      const door = attachIpcDoor({ ipcMain, core, webContents: contents, isTrustedUrl: isAppUrl });
      const api = createPreloadApi(
        fakeIpcRenderer(ipcMain, contents, () => topFrame('lp-app://ui/index.html')),
      );
      return Promise.resolve({
        transport: api,
        async fetchAsset(kind, id) {
          // What the window's <img src="lp-asset://…"> gets from the protocol handler.
          const request = new Request(api.assetUrl(kind, id));
          const res = await serveAssetRequest((k, i) => core.assetPath(k, i), request);
          return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : null;
        },
        async close() {
          door.dispose();
          await core.close();
        },
      });
    },
  },
];

import type { AssetKind, PickKind, RendererTransport } from '../../shared/contract/client';
import type { Result } from '../../shared/contract/errors';
import type { AppEvent } from '../../shared/contract/job-types';
import type { ElectronPreload } from '../electron/electron-api';
import { EVENT_CHANNEL, INVOKE_CHANNEL, PICK_CHANNEL } from '../electron/ipc-channels';

const ASSET_KINDS: readonly AssetKind[] = ['thumb', 'norm'];

/**
 * The object the preload exposes as `window.littleplanet`: the renderer's Transport over IPC, built
 * from ipcRenderer but never leaking it, so the page can only send (method, params) on the app's
 * invoke channel and listen on its event channel. Separate from preload.ts so tests can drive it
 * with a fake ipcRenderer wired to the real IPC door.
 */
export function createPreloadApi(ipcRenderer: ElectronPreload['ipcRenderer']) {
  const invoke = async (method: string, params: unknown): Promise<Result<unknown>> => {
    try {
      return (await ipcRenderer.invoke(INVOKE_CHANNEL, method, params)) as Result<unknown>;
    } catch (error) {
      // Only reached when the arguments cannot be cloned or the main process is gone.
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `IPC call ${method} failed: ${reason}` },
      };
    }
  };

  const subscribe = (listener: (event: AppEvent) => void): (() => void) => {
    const forward = (_event: unknown, ...args: unknown[]): void => listener(args[0] as AppEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  };

  const assetUrl = (kind: AssetKind, imageId: number): string => {
    if (!ASSET_KINDS.includes(kind) || !Number.isSafeInteger(imageId) || imageId < 1) {
      throw new TypeError(`No asset URL for ${String(kind)} ${String(imageId)}.`);
    }
    return `lp-asset://${kind}/${imageId}`;
  };

  /** The native file dialog (main checks the sender as for every call); [] when cancelled. */
  const pickPaths = async (kind: PickKind): Promise<string[]> => {
    const result = (await ipcRenderer.invoke(PICK_CHANNEL, kind)) as Result<string[]>;
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };

  return {
    name: 'electron',
    invoke,
    subscribe,
    assetUrl,
    pickPaths,
  } as const satisfies RendererTransport;
}

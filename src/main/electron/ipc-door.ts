import { dispatch } from '../../shared/contract/dispatch';
import type { PickKind } from '../../shared/contract/client';
import type { Result } from '../../shared/contract/errors';
import type { CoreLike } from '../core/in-process-transport';
import type { IpcMainInvokeEventLike, IpcMainLike, WebContentsLike } from './electron-api';
import { EVENT_CHANNEL, INVOKE_CHANNEL, PICK_CHANNEL } from './ipc-channels';

export type IpcDoorOptions = {
  ipcMain: IpcMainLike;
  core: CoreLike;
  /** The app window's contents: the only sender answered, and where events are pushed. */
  webContents: WebContentsLike;
  /** True for the app's own pages (`lp-app://ui/…`). */
  isTrustedUrl: (url: string) => boolean;
  /** The native file dialog: chosen paths, [] when cancelled. */
  pickPaths?: (kind: PickKind) => Promise<string[]>;
};

const PICK_KINDS: readonly PickKind[] = ['folders', 'files', 'csv'];

export type IpcDoor = { dispose(): void };

const refused = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'UNAUTHORIZED', message },
});

/**
 * The Electron door: `lp:invoke (method, params)` → `dispatch()` → Result, and every AppEvent pushed
 * on `lp:event`. A call is answered only when it comes from the top frame of the app's own window
 * showing the app's own page: a subframe, another window or a page the window was navigated to
 * (which navigation guards should already prevent) gets UNAUTHORIZED, never the core.
 *
 * Takes Electron's objects through narrow types so tests drive it with plain fakes. The door removes
 * itself when the window's contents are destroyed; `ipcMain.handle` allows one handler per channel,
 * so a new window (macOS re-activation) attaches a new door after the old one is gone.
 */
export function attachIpcDoor(options: IpcDoorOptions): IpcDoor {
  const { ipcMain, core, webContents, isTrustedUrl } = options;

  const checkSender = (event: IpcMainInvokeEventLike): string | null => {
    if (event.sender.id !== webContents.id) return 'IPC from another window is refused.';
    const frame = event.senderFrame;
    if (frame === null) return 'IPC from a frame that is gone is refused.';
    if (frame.parent !== null) return 'IPC from a subframe is refused.';
    if (!isTrustedUrl(frame.url)) return `IPC from ${frame.url || 'an unknown page'} is refused.`;
    return null;
  };

  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, params: unknown) => {
    const problem = checkSender(event);
    if (problem !== null) return refused(problem);
    if (typeof method !== 'string') {
      return {
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: 'The method name must be a string.' },
      } satisfies Result<never>;
    }
    return dispatch(core.handlers, method, params);
  });

  // The same sender checks guard the file dialog: only the app's own page may open it.
  const { pickPaths } = options;
  if (pickPaths !== undefined) {
    ipcMain.handle(PICK_CHANNEL, async (event, kind: unknown) => {
      const problem = checkSender(event);
      if (problem !== null) return refused(problem);
      if (!PICK_KINDS.includes(kind as PickKind)) {
        return {
          ok: false,
          error: {
            code: 'BAD_ARGUMENT',
            message: `Pick folders, files or csv, not ${String(kind)}.`,
          },
        } satisfies Result<never>;
      }
      return { ok: true, value: await pickPaths(kind as PickKind) } satisfies Result<string[]>;
    });
  }

  const unsubscribe = core.subscribe((event) => {
    if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, event);
  });

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
    if (pickPaths !== undefined) ipcMain.removeHandler(PICK_CHANNEL);
  };
  webContents.once('destroyed', dispose);
  return { dispose };
}

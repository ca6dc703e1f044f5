import type {
  ElectronPreload,
  IpcMainInvokeEventLike,
  IpcMainLike,
  WebContentsLike,
  WebFrameLike,
} from '../../src/main/electron/electron-api';

type Handler = (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** ipcMain as Electron behaves: one handler per channel, arguments and results structured-cloned. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(event: IpcMainInvokeEventLike, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

/** A window's contents: what the main side sends arrives, cloned, at the renderer's listeners. */
export class FakeWebContents implements WebContentsLike {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly rendererListeners = new Map<string, Set<RendererListener>>();
  private destroyed = false;
  private readonly onDestroyed: (() => void)[] = [];

  constructor(readonly id: number) {}

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    for (const listener of [...(this.rendererListeners.get(channel) ?? [])]) {
      listener({ sender: 'ipcRenderer' }, ...cloned);
    }
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  once(_event: 'destroyed', listener: () => void): this {
    this.onDestroyed.push(listener);
    return this;
  }

  destroy(): void {
    this.destroyed = true;
    for (const listener of this.onDestroyed.splice(0)) listener();
  }
}

export const topFrame = (url: string): WebFrameLike => ({ url, parent: null });

/** The renderer side of one window: ipcRenderer calls arrive at ipcMain as if from `frame`. */
export function fakeIpcRenderer(
  ipcMain: FakeIpcMain,
  contents: FakeWebContents,
  frame: () => WebFrameLike | null,
): ElectronPreload['ipcRenderer'] {
  return {
    invoke: (channel, ...args) =>
      ipcMain.invoke({ sender: contents, senderFrame: frame() }, channel, args),
    on(channel, listener) {
      const set = contents.rendererListeners.get(channel) ?? new Set<RendererListener>();
      set.add(listener);
      contents.rendererListeners.set(channel, set);
      return this;
    },
    removeListener(channel, listener) {
      contents.rendererListeners.get(channel)?.delete(listener);
      return this;
    },
  };
}

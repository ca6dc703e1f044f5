import { AppError } from '../../../shared/contract/errors';
import type { HostToClient } from './protocol';

/**
 * The host's side of the channel to the app, whichever way it was started: Electron's
 * utilityProcess.fork gives the child `process.parentPort` (a MessagePortMain whose 'message'
 * events carry `{ data }`); child_process.fork gives `process.send` / `process.on('message')`.
 */
export type ParentChannel = {
  send(message: HostToClient): void;
  onMessage(handler: (message: unknown) => void): void;
  /** The parent went away (fork only; a utility process dies with its parent). */
  onClose(handler: () => void): void;
};

type ParentPort = {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
};

export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port !== undefined) {
    return {
      send: (message) => port.postMessage(message),
      onMessage: (handler) => port.on('message', (event) => handler(event.data)),
      onClose: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (send === undefined) {
    throw new AppError(
      'INTERNAL',
      'The ML host must be started with child_process.fork() or utilityProcess.fork().',
    );
  }
  return {
    send: (message) => {
      // A closed channel means the parent is gone; onClose ends the process.
      if (process.connected) send(message, undefined, {}, () => undefined);
    },
    onMessage: (handler) => process.on('message', handler),
    onClose: (handler) => process.on('disconnect', handler),
  };
}

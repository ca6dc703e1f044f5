import { dispatch } from '../../shared/contract/dispatch';
import type { Transport } from '../../shared/contract/client';
import type { Handlers } from '../../shared/contract/methods';
import type { AppEvent } from '../../shared/contract/job-types';

export type CoreLike = {
  readonly handlers: Handlers;
  subscribe(listener: (event: AppEvent) => void): () => void;
};

/**
 * The CLI and tests talk to the core through the same validation path as the IPC and HTTP doors,
 * so a parameter the contract rejects is rejected everywhere alike.
 */
export function inProcessTransport(core: CoreLike): Transport {
  return {
    invoke: (method, params) => dispatch(core.handlers, method, params),
    subscribe: (listener) => core.subscribe(listener),
  };
}

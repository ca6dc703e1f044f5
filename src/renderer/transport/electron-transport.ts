import type { RendererTransport } from '../../shared/contract/client';
import { takeBridgeToken } from './token';
import { httpTransport } from './http-transport';

declare global {
  // The preload's one narrow object (src/main/preload); absent when the page runs in a browser.
  var littleplanet: RendererTransport | undefined;
}

export type PickedTransport =
  { ok: true; transport: RendererTransport; ready: Promise<void> } | { ok: false; message: string };

/** The Electron preload's object when present, otherwise the HTTP bridge with the page's token. */
export function pickTransport(win: Window = window): PickedTransport {
  const fromPreload = globalThis.littleplanet;
  if (fromPreload !== undefined) {
    return { ok: true, transport: fromPreload, ready: Promise.resolve() };
  }
  const token = takeBridgeToken(win);
  if (token === null) {
    return {
      ok: false,
      message:
        'This page needs the link with its access token. Open the address the studio printed when ' +
        'it started (it ends in ?token=…).',
    };
  }
  const transport = httpTransport(token);
  return { ok: true, transport, ready: transport.eventsReady };
}

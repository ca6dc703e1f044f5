/**
 * The two IPC channels between the preload and the main process; the only ones the app uses, so the
 * whole IPC surface is: one request/response channel for every contract method, one event channel.
 */
export const INVOKE_CHANNEL = 'lp:invoke';
export const EVENT_CHANNEL = 'lp:event';

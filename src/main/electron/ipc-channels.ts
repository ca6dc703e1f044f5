/**
 * The IPC channels between the preload and the main process; the only ones the app uses, so the
 * whole IPC surface is: one request/response channel for every contract method, one event channel,
 * and one for the native file picker (a desktop-only capability, not a contract method).
 */
export const INVOKE_CHANNEL = 'lp:invoke';
export const EVENT_CHANNEL = 'lp:event';
export const PICK_CHANNEL = 'lp:pick-paths';

// @ts-check
// Compile-time only (never loaded): proves the real Electron types are assignable to the subset in
// electron-api.ts, so that subset cannot drift from the Electron version we ship. It is JavaScript
// with JSDoc types on purpose: tsconfig.json (no allowJs) skips it, so CI without the optional
// electron package still type-checks, while `tsc -p tsconfig.electron.json` (run by
// test/contract/electron-api.test.ts when node_modules/electron/electron.d.ts exists) checks it.

/**
 * @param {typeof import('electron')} real
 * @returns {import('./electron-api').ElectronMain}
 */
function _mainProcessSubset(real) {
  return real;
}

/**
 * @param {typeof import('electron')} real
 * @returns {import('./electron-api').ElectronPreload}
 */
function _preloadSubset(real) {
  return real;
}

/**
 * The IPC door is handed these objects by Electron; each must satisfy the door's narrow type.
 * @param {import('electron').IpcMainInvokeEvent} event
 * @param {import('electron').WebContents} contents
 * @param {import('electron').BrowserWindow} window
 * @returns {[
 *   import('./electron-api').IpcMainInvokeEventLike,
 *   import('./electron-api').AppWebContents,
 *   import('./electron-api').BrowserWindowLike,
 * ]}
 */
function _objectsHandedToUs(event, contents, window) {
  return [event, contents, window];
}

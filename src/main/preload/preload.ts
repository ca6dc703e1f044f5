import { requireElectron, type ElectronPreload } from '../electron/electron-api';
import { createPreloadApi } from './preload-api';

/**
 * Runs in the sandboxed preload of the app window (bundled to build/preload.cjs) and exposes exactly
 * one object to the page, `window.littleplanet`, typed as the contract's RendererTransport. The page
 * never gets ipcRenderer itself: exposing it is the classic Electron security mistake.
 */
const { contextBridge, ipcRenderer } = requireElectron<ElectronPreload>();

contextBridge.exposeInMainWorld('littleplanet', createPreloadApi(ipcRenderer));

import { join } from 'node:path';
import { requireElectron, type ElectronMain } from './electron-api';
import { startStudio } from './studio-app';

/**
 * The Electron main process entry (bundled to build/electron-main.cjs, next to preload.cjs and
 * renderer/). Everything it does is in studio-app.ts, which takes Electron's API as an argument so
 * tests can start it with fakes.
 */
startStudio(requireElectron<ElectronMain>(), {
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  rendererDir: join(__dirname, 'renderer'),
  preloadPath: join(__dirname, 'preload.cjs'),
});

// The window's IPC door: the contract over Electron IPC for the app's own pages, with the native
// file pickers the Import view asks for.
import type { PickKind } from '../../shared/contract/client';
import type { StudioCore } from '../core/studio-core';
import { isAppUrl } from './app-protocols';
import type { AppWebContents, ElectronMain, OpenDialogOptionsLike } from './electron-api';
import { attachIpcDoor, type IpcDoor } from './ipc-door';

/** The native dialog for each kind of pick the Import view offers. */
export function pickDialog(kind: PickKind): OpenDialogOptionsLike {
  switch (kind) {
    case 'folders':
      return {
        title: 'Import folders',
        buttonLabel: 'Import',
        properties: ['openDirectory', 'multiSelections'],
      };
    case 'files':
      return {
        title: 'Import photos',
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections'],
        filters: [
          {
            name: 'Photos',
            extensions: ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'avif', 'heic', 'heif'],
          },
        ],
      };
    case 'csv':
      return {
        title: 'Import a CSV manifest',
        buttonLabel: 'Use manifest',
        properties: ['openFile'],
        filters: [{ name: 'CSV manifest', extensions: ['csv', 'txt'] }],
      };
  }
}

/** Serves the contract to one window's pages (app:// only); dispose when the window closes. */
export function attachStudioIpc(
  electron: Pick<ElectronMain, 'ipcMain' | 'dialog'>,
  core: StudioCore,
  webContents: AppWebContents,
): IpcDoor {
  return attachIpcDoor({
    ipcMain: electron.ipcMain,
    core,
    webContents,
    isTrustedUrl: isAppUrl,
    pickPaths: async (kind) => {
      const picked = await electron.dialog.showOpenDialog(pickDialog(kind));
      return picked.canceled ? [] : picked.filePaths;
    },
  });
}

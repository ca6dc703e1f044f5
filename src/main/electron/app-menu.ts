import type { MenuItemTemplate } from './electron-api';

/** A screen of the renderer, by its view id (the route `#/<view>`) and its sidebar label. */
export type Screen = { view: string; label: string };

/**
 * The renderer's screens in sidebar order (src/renderer/app/views.tsx, VIEWS). Main cannot import
 * the renderer, so the list is repeated here; test/contract/electron-shell.test.ts fails when the two
 * drift apart. The first nine get Ctrl/Cmd+1…9.
 */
export const SCREENS: readonly Screen[] = [
  { view: 'library', label: 'Library' },
  { view: 'import', label: 'Import' },
  { view: 'cities', label: 'Cities' },
  { view: 'splits', label: 'Splits & stats' },
  { view: 'collect', label: 'Collect' },
  { view: 'models', label: 'Models' },
  { view: 'train', label: 'Train' },
  { view: 'evaluate', label: 'Evaluate' },
  { view: 'predict', label: 'Predict' },
  { view: 'explain', label: 'Explain' },
  { view: 'geolocate', label: 'Geolocate' },
  { view: 'map', label: 'Map' },
  { view: 'guess', label: 'Guess' },
  { view: 'label', label: 'Label' },
];

/** The renderer's open-library screen (views.tsx OPEN_VIEW). */
export const OPEN_LIBRARY_VIEW = 'open';

export type MenuActions = {
  /** Shows a screen in the app window (see UiEvent in the shared contract). */
  navigate(view: string): void;
  about(): void;
};

export type MenuOptions = {
  platform: NodeJS.Platform;
  /** Packaged builds get no developer tools item. */
  isPackaged: boolean;
  appName: string;
  actions: MenuActions;
};

const separator: MenuItemTemplate = { type: 'separator' };

/**
 * The native application menu. Standard actions use Electron's roles (they act on the focused window
 * and get the platform's behaviour); the app's own items send the renderer a navigation event.
 * An Edit menu is included because on macOS the clipboard shortcuts in text fields only work
 * through menu roles.
 */
export function appMenuTemplate(options: MenuOptions): MenuItemTemplate[] {
  const { actions, appName } = options;
  const mac = options.platform === 'darwin';
  const about: MenuItemTemplate = { label: `About ${appName}`, click: () => actions.about() };
  const quit: MenuItemTemplate = { label: 'Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' };

  const appMenu: MenuItemTemplate[] = mac
    ? [
        {
          label: appName,
          submenu: [
            about,
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            quit,
          ],
        },
      ]
    : [];

  const file: MenuItemTemplate = {
    label: 'File',
    submenu: [
      {
        label: 'Open Library…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.navigate(OPEN_LIBRARY_VIEW),
      },
      ...(mac ? [] : [separator, quit]),
    ],
  };

  const edit: MenuItemTemplate = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemTemplate = {
    label: 'View',
    submenu: [
      { label: 'Reload', role: 'reload', accelerator: 'CmdOrCtrl+R' },
      ...(options.isPackaged
        ? []
        : [
            {
              label: 'Toggle Developer Tools',
              role: 'toggleDevTools',
              accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
            } satisfies MenuItemTemplate,
          ]),
      separator,
      { label: 'Actual Size', role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { label: 'Zoom In', role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
      { label: 'Zoom Out', role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      separator,
      {
        label: 'Toggle Full Screen',
        role: 'togglefullscreen',
        accelerator: mac ? 'Ctrl+Cmd+F' : 'F11',
      },
    ],
  };

  const go: MenuItemTemplate = {
    label: 'Go',
    submenu: SCREENS.map((screen, index) => ({
      label: screen.label,
      ...(index < 9 ? { accelerator: `CmdOrCtrl+${index + 1}` } : {}),
      click: () => actions.navigate(screen.view),
    })),
  };

  const help: MenuItemTemplate = { label: 'Help', submenu: [about] };
  return [...appMenu, file, edit, view, go, help];
}

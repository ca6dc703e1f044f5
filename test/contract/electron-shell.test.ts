import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StudioCore } from '../../src/main/core/studio-core';
import { appMenuTemplate, SCREENS } from '../../src/main/electron/app-menu';
import type { MenuItemTemplate, RectangleLike } from '../../src/main/electron/electron-api';
import { parseShellState, SHELL_STATE_FILE } from '../../src/main/electron/shell-state';
import { startStudio } from '../../src/main/electron/studio-app';
import { pickDialog } from '../../src/main/electron/studio-ipc';
import { boundsToRestore } from '../../src/main/electron/window-bounds';
import { topFrame } from './fake-electron';
import { fakeElectronMain, type FakeElectronMain, type FakeWindow } from './fake-electron-main';

/**
 * The desktop shell's memory and menu, through the real studio-app.ts started on a fake Electron:
 * window bounds saved on close and restored on the next start (only where they fit a display), a
 * corrupt state file ignored and replaced, the last library reopened, and the native menu's items,
 * accelerators and actions.
 */

const FULL_HD: RectangleLike = { x: 0, y: 0, width: 1920, height: 1080 };
const APP_PAGE = 'lp-app://ui/index.html';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

type Started = FakeElectronMain & { window: FakeWindow };

/** Starts the app on a fresh fake Electron and waits for its window. */
async function start(
  userData: string,
  init: {
    argv?: string[];
    env?: NodeJS.ProcessEnv;
    displays?: RectangleLike[];
    isPackaged?: boolean;
    platform?: NodeJS.Platform;
  } = {},
): Promise<Started> {
  const fake = fakeElectronMain({
    userData,
    displays: init.displays ?? [FULL_HD],
    isPackaged: init.isPackaged ?? false,
  });
  startStudio(fake.electron, {
    argv: ['electron', '.', ...(init.argv ?? [])],
    env: init.env ?? {},
    platform: init.platform ?? 'linux',
    rendererDir: '/nonexistent/renderer',
    preloadPath: '/nonexistent/preload.cjs',
  });
  fake.ready();
  await until(() => fake.windows.length === 1, 'the window');
  const window = fake.windows[0] ?? assert.fail();
  return { ...fake, window };
}

function invoke(app: Started, method: string): Promise<unknown> {
  return app.ipcMain.invoke(
    { sender: app.window.webContents, senderFrame: topFrame(APP_PAGE) },
    'lp:invoke',
    [method, {}],
  );
}

const readState = (userData: string): unknown =>
  JSON.parse(readFileSync(join(userData, SHELL_STATE_FILE), 'utf8'));

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'lp-electron-shell-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('window state', () => {
  test('bounds are saved on close and restored on the next start', async () => {
    const userData = join(root, 'bounds');
    const first = await start(userData);
    // First run: the default size, centred (no position given).
    assert.deepEqual(
      [first.window.options.x, first.window.options.y, first.window.options.width],
      [undefined, undefined, 1280],
    );
    assert.equal(existsSync(join(userData, SHELL_STATE_FILE)), false);
    first.window.normalBounds = { x: 140, y: 60, width: 1000, height: 700 };
    first.window.close();
    assert.deepEqual(readState(userData), {
      bounds: { x: 140, y: 60, width: 1000, height: 700 },
      maximized: false,
    });
    // Written atomically: no temporary file is left next to it.
    assert.deepEqual(
      readdirSync(userData).filter((name) => name !== SHELL_STATE_FILE),
      [],
    );
    await first.quit();

    const second = await start(userData);
    const { x, y, width, height, minWidth } = second.window.options;
    assert.deepEqual({ x, y, width, height }, { x: 140, y: 60, width: 1000, height: 700 });
    assert.equal(minWidth, 900);
    assert.equal(second.window.maximized, false);
    second.window.maximized = true;
    second.window.close();
    await second.quit();

    // Maximised last time: maximised again, over the remembered normal bounds.
    const third = await start(userData);
    assert.equal(third.window.maximized, true);
    assert.equal(third.window.options.x, 140);
    await third.quit();

    // The display it was on is gone (a smaller screen now): the default size, centred.
    const small = await start(userData, { displays: [{ x: 0, y: 0, width: 1024, height: 600 }] });
    assert.deepEqual(
      [small.window.options.x, small.window.options.width, small.window.maximized],
      [undefined, 1280, false],
    );
    await small.quit();
  });

  test('a corrupt state file is ignored and replaced', async () => {
    const userData = join(root, 'corrupt');
    // A file cut short mid-write by an older version or a crash.
    mkdirSync(userData, { recursive: true });
    writeFileSync(join(userData, SHELL_STATE_FILE), '{"bounds": {"x": 1, "y": 2, "wid');
    const app = await start(userData);
    assert.equal(app.window.options.x, undefined);
    assert.equal(app.window.options.width, 1280);
    assert.deepEqual(readState(userData), {}, 'the broken file was replaced at start');
    app.window.close();
    assert.deepEqual(readState(userData), {
      bounds: { x: 0, y: 0, width: 1280, height: 820 },
      maximized: false,
    });
    await app.quit();
  });

  test('parseShellState keeps only well-formed fields', () => {
    assert.equal(parseShellState('not json'), null);
    assert.equal(parseShellState('[1,2]'), null);
    assert.equal(parseShellState('null'), null);
    assert.deepEqual(
      parseShellState(
        JSON.stringify({
          bounds: { x: 1, y: 2, width: 0, height: 10 },
          maximized: 'yes',
          lastLibrary: '/lib',
          extra: true,
        }),
      ),
      { lastLibrary: '/lib' },
    );
    assert.deepEqual(
      parseShellState('{"bounds":{"x":-5,"y":3,"width":900,"height":600},"maximized":true}'),
      { bounds: { x: -5, y: 3, width: 900, height: 600 }, maximized: true },
    );
  });

  test('bounds are restored only inside one display, and not below the minimum size', () => {
    const min = { minWidth: 900, minHeight: 600 };
    const left: RectangleLike = { x: -1920, y: 0, width: 1920, height: 1040 };
    const saved = { x: -1800, y: 100, width: 1000, height: 700 };
    assert.deepEqual(boundsToRestore(saved, [FULL_HD, left], min), saved);
    assert.equal(boundsToRestore(saved, [FULL_HD], min), null, 'the left monitor is gone');
    assert.equal(boundsToRestore({ ...saved, x: -500 }, [FULL_HD, left], min), null, 'straddles');
    assert.equal(boundsToRestore({ x: 0, y: 0, width: 500, height: 700 }, [FULL_HD], min), null);
    assert.equal(boundsToRestore(undefined, [FULL_HD], min), null);
  });
});

describe('last library', () => {
  let library: string;
  before(async () => {
    library = join(root, 'photos-lib');
    const setup = new StudioCore({ version: 'x' });
    await setup.handlers['library.open']({ dir: library, create: true });
    await setup.close();
  });

  test('the library opened last time is reopened when none is given', async () => {
    const userData = join(root, 'last-library');
    const first = await start(userData, { argv: ['--library', library] });
    await until(
      () => existsSync(join(userData, SHELL_STATE_FILE)),
      'the last library to be remembered',
    );
    assert.deepEqual(readState(userData), { lastLibrary: resolve(library) });
    await first.quit();

    const second = await start(userData);
    assert.deepEqual(await invoke(second, 'app.info'), {
      ok: true,
      value: { version: '7.7.7', libraryOpen: true, transport: 'electron' },
    });
    const info = (await invoke(second, 'library.info')) as { ok: true; value: { dir: string } };
    assert.equal(info.value.dir, resolve(library));
    await second.quit();

    // LITTLEPLANET_LIBRARY (like --library) wins over the remembered one.
    const other = join(root, 'other-lib');
    const setup = new StudioCore({ version: 'x' });
    await setup.handlers['library.open']({ dir: other, create: true });
    await setup.close();
    const third = await start(userData, { env: { LITTLEPLANET_LIBRARY: other } });
    const thirdInfo = (await invoke(third, 'library.info')) as { ok: true; value: { dir: string } };
    assert.equal(thirdInfo.value.dir, resolve(other));
    await until(
      () => (readState(userData) as { lastLibrary?: string }).lastLibrary === resolve(other),
      'the newly opened library to be remembered',
    );
    await third.quit();
  });

  test('a remembered library whose folder is gone is not opened', async () => {
    const userData = join(root, 'gone-library');
    mkdirSync(userData, { recursive: true });
    writeFileSync(
      join(userData, SHELL_STATE_FILE),
      JSON.stringify({ lastLibrary: join(root, 'deleted-lib') }),
    );
    const app = await start(userData);
    assert.deepEqual(await invoke(app, 'app.info'), {
      ok: true,
      value: { version: '7.7.7', libraryOpen: false, transport: 'electron' },
    });
    assert.equal(existsSync(join(root, 'deleted-lib')), false, 'nothing was created');
    await app.quit();
  });
});

describe('application menu', () => {
  const labels = (items: readonly MenuItemTemplate[] | undefined): (string | undefined)[] =>
    (items ?? []).filter((i) => i.type !== 'separator').map((i) => i.label ?? i.role);
  const submenu = (menu: readonly MenuItemTemplate[], label: string): MenuItemTemplate[] =>
    menu.find((item) => item.label === label)?.submenu ?? assert.fail(`no ${label} menu`);
  const item = (items: readonly MenuItemTemplate[], label: string): MenuItemTemplate =>
    items.find((i) => i.label === label) ?? assert.fail(`no ${label} item`);

  test('File, Edit, View, Go and Help with their accelerators; Go and Open Library navigate', async () => {
    const app = await start(join(root, 'menu'));
    const menu = app.applicationMenu() ?? assert.fail('no application menu was set');
    assert.deepEqual(labels(menu), ['File', 'Edit', 'View', 'Go', 'Help']);

    const file = submenu(menu, 'File');
    assert.deepEqual(labels(file), ['Open Library…', 'Quit']);
    assert.equal(item(file, 'Open Library…').accelerator, 'CmdOrCtrl+O');
    assert.deepEqual(
      [item(file, 'Quit').role, item(file, 'Quit').accelerator],
      ['quit', 'CmdOrCtrl+Q'],
    );

    const view = submenu(menu, 'View');
    assert.deepEqual(
      view.filter((i) => i.type !== 'separator').map((i) => [i.role, i.accelerator]),
      [
        ['reload', 'CmdOrCtrl+R'],
        ['toggleDevTools', 'Ctrl+Shift+I'],
        ['resetZoom', 'CmdOrCtrl+0'],
        ['zoomIn', 'CmdOrCtrl+='],
        ['zoomOut', 'CmdOrCtrl+-'],
        ['togglefullscreen', 'F11'],
      ],
    );
    assert.deepEqual(
      submenu(menu, 'Edit').map((i) => i.role ?? i.type),
      ['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'selectAll'],
    );

    const go = submenu(menu, 'Go');
    assert.deepEqual(
      go.map((i) => [i.label, i.accelerator]),
      [
        ['Library', 'CmdOrCtrl+1'],
        ['Import', 'CmdOrCtrl+2'],
        ['Cities', 'CmdOrCtrl+3'],
        ['Splits & stats', 'CmdOrCtrl+4'],
        ['Collect', 'CmdOrCtrl+5'],
        ['Models', 'CmdOrCtrl+6'],
        ['Train', 'CmdOrCtrl+7'],
        ['Evaluate', 'CmdOrCtrl+8'],
        ['Predict', 'CmdOrCtrl+9'],
        // Past nine screens there are no more digit keys.
        ['Explain', undefined],
        ['Geolocate', undefined],
        ['Map', undefined],
        ['Guess', undefined],
        ['Label', undefined],
      ],
    );

    // Menu actions reach the window's renderer as typed UI events on the app's event channel.
    item(go, 'Cities').click?.();
    item(file, 'Open Library…').click?.();
    assert.deepEqual(app.window.webContents.sent, [
      {
        channel: 'lp:event',
        args: [{ channel: 'ui', payload: { type: 'navigate', view: 'cities' } }],
      },
      {
        channel: 'lp:event',
        args: [{ channel: 'ui', payload: { type: 'navigate', view: 'open' } }],
      },
    ]);

    const help = submenu(menu, 'Help');
    assert.deepEqual(labels(help), ['About LittlePlaNet Studio']);
    item(help, 'About LittlePlaNet Studio').click?.();
    assert.equal(app.messageBoxes.length, 1);
    assert.equal(app.messageBoxes[0]?.message, 'LittlePlaNet Studio');
    assert.match(app.messageBoxes[0]?.detail ?? '', /^Version 7\.7\.7\n/);
    await app.quit();
  });

  test('a packaged app has no developer tools item', async () => {
    const app = await start(join(root, 'menu-packaged'), { isPackaged: true });
    const view = submenu(app.applicationMenu() ?? assert.fail(), 'View');
    assert.deepEqual(labels(view), [
      'Reload',
      'Actual Size',
      'Zoom In',
      'Zoom Out',
      'Toggle Full Screen',
    ]);
    await app.quit();
  });

  test('macOS: the app menu holds About and Quit; full screen and devtools use Mac keys', () => {
    const menu = appMenuTemplate({
      platform: 'darwin',
      isPackaged: false,
      appName: 'LittlePlaNet Studio',
      actions: { navigate: () => undefined, about: () => undefined },
    });
    assert.deepEqual(labels(menu), ['LittlePlaNet Studio', 'File', 'Edit', 'View', 'Go', 'Help']);
    assert.deepEqual(labels(submenu(menu, 'LittlePlaNet Studio')), [
      'About LittlePlaNet Studio',
      'hide',
      'hideOthers',
      'unhide',
      'Quit',
    ]);
    assert.deepEqual(labels(submenu(menu, 'File')), ['Open Library…']);
    const view = submenu(menu, 'View');
    assert.equal(item(view, 'Toggle Full Screen').accelerator, 'Ctrl+Cmd+F');
    assert.equal(item(view, 'Toggle Developer Tools').accelerator, 'Alt+Cmd+I');
  });

  test("the Go menu lists the renderer's views in sidebar order", () => {
    // Main cannot import the renderer; read its view table to catch the two lists drifting apart.
    const source = readFileSync(resolve(__dirname, '../../src/renderer/app/views.tsx'), 'utf8');
    const views = [...source.matchAll(/\{ id: '([a-z-]+)', label: '([^']+)'/g)].map((m) => ({
      view: m[1],
      label: m[2],
    }));
    assert.ok(views.length >= 8, `found ${views.length} views in views.tsx`);
    assert.deepEqual(SCREENS, views);
    assert.match(source, /export const OPEN_VIEW = 'open';/);
  });
});

describe('native file picker', () => {
  const pick = (app: Started, kind: unknown, url = APP_PAGE): Promise<unknown> =>
    app.ipcMain.invoke(
      { sender: app.window.webContents, senderFrame: topFrame(url) },
      'lp:pick-paths',
      [kind],
    );

  test("opens the right dialog for the app's own page only, and answers [] when cancelled", async () => {
    const app = await start(join(root, 'picker'));
    app.openDialogAnswers.push(['/photos/Paris', '/photos/London'], []);
    assert.deepEqual(await pick(app, 'folders'), {
      ok: true,
      value: ['/photos/Paris', '/photos/London'],
    });
    assert.deepEqual(app.openDialogs[0]?.properties, ['openDirectory', 'multiSelections']);
    assert.deepEqual(await pick(app, 'csv'), { ok: true, value: [] }, 'cancelled');
    assert.deepEqual(app.openDialogs[1]?.filters, [
      { name: 'CSV manifest', extensions: ['csv', 'txt'] },
    ]);
    assert.deepEqual(await pick(app, 'everything'), {
      ok: false,
      error: { code: 'BAD_ARGUMENT', message: 'Pick folders, files or csv, not everything.' },
    });
    const foreign = (await pick(app, 'files', 'https://example.com/')) as {
      ok: boolean;
      error: { code: string };
    };
    assert.deepEqual([foreign.ok, foreign.error.code], [false, 'UNAUTHORIZED']);
    assert.equal(app.openDialogs.length, 2, 'refused calls open no dialog');
    await app.quit();
  });

  test('pickDialog: photos filter for files', () => {
    const files = pickDialog('files');
    assert.deepEqual(files.properties, ['openFile', 'multiSelections']);
    assert.ok(files.filters?.[0]?.extensions.includes('heic'));
  });
});

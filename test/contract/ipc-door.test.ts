import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from '../../src/shared/contract/client';
import type { AppEvent } from '../../src/shared/contract/job-types';
import { isAppUrl } from '../../src/main/electron/app-protocols';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src/main/electron/ipc-channels';
import { attachIpcDoor } from '../../src/main/electron/ipc-door';
import { createPreloadApi } from '../../src/main/preload/preload-api';
import { createFakeCore, FAKE_REPORT, FAKE_STATS, type FakeCore } from './fake-core';
import { FakeIpcMain, FakeWebContents, fakeIpcRenderer, topFrame } from './fake-electron';

describe('Electron IPC door', () => {
  let core: FakeCore;
  before(async () => (core = await createFakeCore()));
  after(() => core.close());

  const setup = () => {
    const ipcMain = new FakeIpcMain();
    const contents = new FakeWebContents(1);
    let frame = topFrame('lp-app://ui/index.html');
    const door = attachIpcDoor({ ipcMain, core, webContents: contents, isTrustedUrl: isAppUrl });
    const api = createPreloadApi(fakeIpcRenderer(ipcMain, contents, () => frame));
    return { ipcMain, contents, door, api, setFrame: (f: typeof frame) => (frame = f) };
  };

  test('calls from the app page go through dispatch() and come back as Results', async () => {
    const { api, door } = setup();
    try {
      assert.equal(api.name, 'electron');
      assert.deepEqual(await api.invoke('library.stats', {}), { ok: true, value: FAKE_STATS });
      const bad = await api.invoke('cities.add', { name: 'X', lat: 0 });
      assert.equal(bad.ok, false);
      assert.ok(!bad.ok && bad.error.code === 'BAD_ARGUMENT' && /lon/.test(bad.error.message));
      assert.deepEqual(await api.invoke('nope', {}), {
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Unknown method "nope".' },
      });
    } finally {
      door.dispose();
    }
  });

  test('a job runs end to end over the door: events pushed on lp:event', async () => {
    const { api, door, contents } = setup();
    try {
      const events: string[] = [];
      const report = await createClient(api).runJob('import.start', { paths: ['/x'] }, (e) =>
        events.push(e.type),
      );
      assert.deepEqual(report, FAKE_REPORT);
      assert.deepEqual(events, ['queued', 'progress', 'done']);
      assert.ok(contents.sent.length >= 3);
      assert.ok(contents.sent.every((m) => m.channel === EVENT_CHANNEL));
    } finally {
      door.dispose();
    }
  });

  test('subscribe/unsubscribe in the preload add and remove exactly one IPC listener', () => {
    const { api, door, contents } = setup();
    try {
      const got: AppEvent[] = [];
      const unsubscribe = api.subscribe((e) => got.push(e));
      const event: AppEvent = { channel: 'library', payload: { type: 'changed', what: 'cities' } };
      core.emit(event);
      unsubscribe();
      core.emit(event);
      assert.deepEqual(got, [event]);
      assert.equal(contents.rendererListeners.get(EVENT_CHANNEL)?.size, 0);
    } finally {
      door.dispose();
    }
  });

  test('calls from another window, a subframe, a foreign page or a dead frame are refused', async () => {
    const { ipcMain, contents, door, setFrame, api } = setup();
    try {
      const before = core.calls.length;
      const other = createPreloadApi(
        fakeIpcRenderer(ipcMain, new FakeWebContents(2), () => topFrame('lp-app://ui/')),
      );
      const refusedBy = async (call: Promise<unknown>, pattern: RegExp) => {
        const result = (await call) as { ok: boolean; error: { code: string; message: string } };
        assert.equal(result.ok, false);
        assert.equal(result.error.code, 'UNAUTHORIZED');
        assert.match(result.error.message, pattern);
      };
      await refusedBy(other.invoke('library.stats', {}), /another window/);
      setFrame({ url: 'lp-app://ui/', parent: topFrame('lp-app://ui/') });
      await refusedBy(api.invoke('library.stats', {}), /subframe/);
      setFrame(topFrame('https://evil.example/'));
      await refusedBy(api.invoke('library.stats', {}), /evil\.example/);
      setFrame(topFrame('file:///etc/passwd'));
      await refusedBy(api.invoke('library.stats', {}), /refused/);
      const dead = createPreloadApi(fakeIpcRenderer(ipcMain, contents, () => null));
      await refusedBy(dead.invoke('library.stats', {}), /gone/);
      assert.equal(core.calls.length, before, 'the core was never reached');
    } finally {
      door.dispose();
    }
  });

  test('a non-string method name is BAD_ARGUMENT; an uncloneable param is an INTERNAL result', async () => {
    const { ipcMain, contents, door, api } = setup();
    try {
      const result = await ipcMain.invoke(
        { sender: contents, senderFrame: topFrame('lp-app://ui/') },
        INVOKE_CHANNEL,
        [42, {}],
      );
      assert.deepEqual(result, {
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: 'The method name must be a string.' },
      });
      const uncloneable = await api.invoke('library.stats', { f: () => 1 });
      assert.equal(uncloneable.ok, false);
      assert.ok(!uncloneable.ok && uncloneable.error.code === 'INTERNAL');
    } finally {
      door.dispose();
    }
  });

  test('destroying the window removes the handler and the core subscription', () => {
    const listeners = core.listenerCount;
    const { ipcMain, contents } = setup();
    assert.equal(core.listenerCount, listeners + 1);
    assert.ok(ipcMain.handlers.has(INVOKE_CHANNEL));
    contents.destroy();
    assert.equal(core.listenerCount, listeners);
    assert.equal(ipcMain.handlers.size, 0);
    // A new window can attach its own door afterwards (one handler per channel).
    const again = attachIpcDoor({
      ipcMain,
      core,
      webContents: new FakeWebContents(3),
      isTrustedUrl: isAppUrl,
    });
    again.dispose();
    again.dispose();
    assert.equal(ipcMain.handlers.size, 0);
  });

  test('assetUrl names the lp-asset protocol and rejects nonsense', () => {
    const { api, door } = setup();
    door.dispose();
    assert.equal(api.assetUrl('thumb', 42), 'lp-asset://thumb/42');
    assert.equal(api.assetUrl('norm', 1), 'lp-asset://norm/1');
    assert.throws(() => api.assetUrl('thumb', 0), TypeError);
    assert.throws(() => api.assetUrl('thumb', 1.5), TypeError);
    assert.throws(() => api.assetUrl('x' as 'thumb', 1), TypeError);
  });
});

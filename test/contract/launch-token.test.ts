// The bridge token stays off command lines and out of query strings where a header can be sent
// (#14): the browser is opened on a private launch page, not on the token URL, and method calls
// refuse `?token=`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serveStudio } from '../../src/main/server/serve';
import { startHttpBridge, type HttpBridge } from '../../src/main/server/http-bridge';
import { createFakeCore, type FakeCore } from './fake-core';
import { rawRequest } from './http-client';

describe('the bridge token', () => {
  let core: FakeCore;
  let bridge: HttpBridge;
  let dir = '';
  let opened: string[] = [];
  let link = '';

  before(async () => {
    core = await createFakeCore();
    dir = mkdtempSync(join(tmpdir(), 'lp-launch-'));
    bridge = await serveStudio({
      core,
      port: 0,
      staticDir: join(dir, 'no-ui'),
      open: true,
      announce: (l) => (link = l),
      log: () => undefined,
      openBrowser: (target) => {
        opened.push(target);
        return { opened: true, opener: 'test' };
      },
      launchDir: dir,
    });
  });
  after(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the browser is handed a private page, never the token, and the page goes with the server', async () => {
    assert.equal(opened.length, 1);
    const target = opened[0] ?? '';
    assert.ok(!target.includes(bridge.token), 'no token in what goes on the command line');
    assert.ok(target.startsWith(dir), target);
    if (process.platform !== 'win32') assert.equal(statSync(target).mode & 0o777, 0o600);
    const html = readFileSync(target, 'utf8');
    assert.ok(html.includes(`content="0;url=${link.replace(/&/g, '&amp;')}"`), html);
    assert.ok(html.includes('name="referrer" content="no-referrer"'));
    assert.match(link, new RegExp(`\\?token=${bridge.token}$`));
    await bridge.close();
    assert.equal(existsSync(target), false, 'the launch page is deleted when the server stops');
    opened = [];
  });
});

describe('?token= only where no header can be sent', () => {
  let core: FakeCore;
  let bridge: HttpBridge;
  before(async () => {
    core = await createFakeCore();
    bridge = await startHttpBridge({ core, staticDir: null });
  });
  after(async () => {
    await bridge.close();
    await core.close();
  });

  test('a method call with the token in its query is 401; events and images accept it', async () => {
    const call = await rawRequest(bridge.port, {
      method: 'POST',
      path: `/api/call/app.info?token=${bridge.token}`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(call.status, 401);
    const withHeader = await rawRequest(bridge.port, {
      method: 'POST',
      path: '/api/call/app.info',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(withHeader.status, 200);
    const image = await rawRequest(bridge.port, { path: `/asset/thumb/1?token=${bridge.token}` });
    assert.equal(image.status, 200);
  });
});

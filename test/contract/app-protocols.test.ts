import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import {
  isAppUrl,
  serveAppRequest,
  serveAssetRequest,
} from '../../src/main/electron/app-protocols';
import {
  CONTENT_SECURITY_POLICY,
  UI_POLICY_DIRECTIVES,
} from '../../src/main/server/content-security';
import { resolveStaticPath } from '../../src/main/server/static-files';

describe('Electron protocols (lp-app, lp-asset)', () => {
  let root: string;
  let ui: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lp-protocols-'));
    ui = join(root, 'renderer');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html>');
    writeFileSync(join(ui, 'app.js'), '1');
    writeFileSync(join(root, 'secret.txt'), 'secret');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lp-app://ui/ serves the built UI with the CSP header, nothing outside it', async () => {
    const index = await serveAppRequest(ui, new Request('lp-app://ui/'));
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(await index.text(), '<!doctype html>');
    const js = await serveAppRequest(ui, new Request('lp-app://ui/app.js'));
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    for (const url of [
      'lp-app://ui/..%2fsecret.txt',
      'lp-app://ui/%2e%2e/secret.txt',
      'lp-app://other/app.js',
    ]) {
      const res = await serveAppRequest(ui, new Request(url));
      assert.equal(res.status, 404, url);
    }
    const unbuilt = await serveAppRequest(join(root, 'missing'), new Request('lp-app://ui/'));
    assert.equal(unbuilt.status, 503);
  });

  test('lp-asset://<kind>/<id> serves the cached JPEG, 404 otherwise', async () => {
    const jpeg = join(root, 'thumb.jpg');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const assetPath = (kind: string, id: number): Promise<string | null> => {
      if (id === 5) return Promise.reject(new AppError('LIBRARY_NOT_OPEN', 'No library is open.'));
      return Promise.resolve(kind === 'thumb' && id === 1 ? jpeg : null);
    };
    const ok = await serveAssetRequest(assetPath, new Request('lp-asset://thumb/1'));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'image/jpeg');
    assert.equal(ok.headers.get('access-control-allow-origin'), 'lp-app://ui');
    assert.deepEqual([...new Uint8Array(await ok.arrayBuffer())], [0xff, 0xd8, 0xff, 0xd9]);
    for (const url of [
      'lp-asset://norm/1',
      'lp-asset://thumb/0',
      'lp-asset://thumb/x',
      'lp-asset://other/1',
      'lp-asset://thumb/5',
    ]) {
      assert.equal((await serveAssetRequest(assetPath, new Request(url))).status, 404, url);
    }
  });

  test('only lp-app://ui pages count as the app', () => {
    assert.ok(isAppUrl('lp-app://ui/index.html'));
    assert.ok(isAppUrl('lp-app://ui/#/cities'));
    for (const url of ['lp-app://evil/', 'https://ui/', 'file:///index.html', 'not a url', '']) {
      assert.ok(!isAppUrl(url), url);
    }
  });

  test('static paths resolve inside the root only', () => {
    assert.equal(resolveStaticPath(ui, '/'), join(ui, 'index.html'));
    assert.equal(resolveStaticPath(ui, '/a/b.js'), join(ui, 'a', 'b.js'));
    assert.equal(resolveStaticPath(ui, '/a/../../x'), join(ui, 'x'));
    assert.equal(resolveStaticPath(ui, '/a%5c..%5cx'), null);
    assert.equal(resolveStaticPath(ui, '/x%00'), null);
    assert.equal(resolveStaticPath(ui, '/%zz'), null);
  });
});

test('the CSP header repeats the policy the renderer build puts in index.html', async () => {
  const script = pathToFileURL(resolve(__dirname, '../../scripts/build-renderer.mjs')).href;
  const renderer = (await import(script)) as { CONTENT_SECURITY_POLICY: string };
  assert.equal(UI_POLICY_DIRECTIVES.join('; '), renderer.CONTENT_SECURITY_POLICY);
  assert.equal(
    CONTENT_SECURITY_POLICY,
    `${renderer.CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  );
});

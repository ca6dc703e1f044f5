import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY } from '../../src/main/server/content-security';

const REPO = resolve(__dirname, '../..');

void describe('renderer build', () => {
  void it('bundles the app into a static folder with a strict CSP, in well under 10 s', () => {
    const out = mkdtempSync(join(tmpdir(), 'lp-renderer-build-'));
    try {
      const started = Date.now();
      const run = spawnSync(process.execPath, ['scripts/build-renderer.mjs', '--out-dir', out], {
        cwd: REPO,
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(Date.now() - started < 10_000, 'the build takes less than 10 s');
      for (const file of ['index.html', 'app.js', 'app.css', 'plotly.css', 'icon.svg']) {
        assert.ok(existsSync(join(out, file)), `${file} is built`);
      }
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
      // The <meta> policy is the header's, less what only a header can say.
      assert.equal(`${csp}; frame-ancestors 'none'`, CONTENT_SECURITY_POLICY);
      assert.doesNotMatch(
        html,
        /<script>(?!<\/script>)|<script(?![^>]*\ssrc=)/,
        'no inline script',
      );
      // The basic Plotly bundle needs no eval, which is what lets the CSP drop 'unsafe-eval'.
      assert.doesNotMatch(readFileSync(join(out, 'app.js'), 'utf8'), /new Function\(/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

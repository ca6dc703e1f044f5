// In CI a missing ../shared fixture or Chromium fails the run instead of skipping (#14); on a
// developer's machine it still skips with the reason.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { inCi } from '../helpers/ci';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { skipReason } from '../e2e/harness';

function withEnv(t: TestContext, env: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(env);
  t.after(() => set(saved));
}

describe('fixtures in CI', () => {
  it('CI=true or LITTLEPLANET_CI=1 is CI; CI=false or nothing is not', () => {
    assert.equal(inCi({ CI: 'true' }), true);
    assert.equal(inCi({ LITTLEPLANET_CI: '1' }), true);
    assert.equal(inCi({ CI: 'false' }), false);
    assert.equal(inCi({ CI: '0', LITTLEPLANET_CI: '' }), false);
    assert.equal(inCi({}), false);
  });

  it('a missing ../shared skips on a developer machine and fails in CI', (t) => {
    withEnv(t, {
      LITTLEPLANET_SHARED: '/nonexistent/shared',
      CI: undefined,
      LITTLEPLANET_CI: undefined,
    });
    assert.equal(sharedFixtures(), null);
    process.env.CI = 'true';
    assert.throws(
      () => sharedFixtures(),
      new RegExp(`${SHARED_MISSING.slice(0, 20)}.*in CI this is a failure`),
    );
  });

  it('a missing Chromium skips on a developer machine and fails in CI', (t) => {
    withEnv(t, { CI: undefined, LITTLEPLANET_CI: undefined });
    assert.match(skipReason('/nonexistent/chromium') ?? '', /^e2e skipped: no Chromium/);
    process.env.LITTLEPLANET_CI = '1';
    assert.throws(
      () => skipReason('/nonexistent/chromium'),
      /no Chromium.*in CI this is a failure/,
    );
  });
});

// Whether the tests run in CI, where a missing fixture or browser must fail the run: a green CI
// run that skipped every ML, EXIF and e2e test proves nothing. `.ci/run` sets LITTLEPLANET_CI=1;
// most CI services set CI=true. On a developer's machine a missing fixture still skips, with the
// reason.

export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const truthy = (v: string | undefined): boolean =>
    v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  return truthy(env.LITTLEPLANET_CI) || truthy(env.CI);
}

/** `reason` as a skip message on a developer's machine; in CI, an error that fails the run. */
export function skipOutsideCi(reason: string): string {
  if (inCi()) throw new Error(`${reason} — in CI this is a failure, not a skip.`);
  return reason;
}

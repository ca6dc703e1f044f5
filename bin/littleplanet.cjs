#!/usr/bin/env node
'use strict';
// The `littleplanet` command. Runs the bundle (build/cli.cjs, made by `npm run build`) when there is
// one, otherwise the TypeScript source through tsx, so `npm run -s cli -- ARGS` works in a fresh
// checkout. LITTLEPLANET_FROM_SOURCE=1 forces the source (tests, or while editing after a build).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'build', 'cli.cjs');
if (existsSync(bundle) && process.env.LITTLEPLANET_FROM_SOURCE !== '1') {
  require(bundle);
} else {
  try {
    require('tsx/cjs');
  } catch {
    console.error(
      'littleplanet: the CLI is not built and tsx is not installed; run `npm run build`.',
    );
    process.exit(1);
  }
  require(join(__dirname, '..', 'src', 'main', 'cli', 'main.ts'));
}

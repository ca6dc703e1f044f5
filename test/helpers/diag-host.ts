// Starting the tests' ML host (diag-host-main.ts: the shipped ops plus the test-only diag.* ops).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forkSpawner, type HostSpawner } from '../../src/main/ml-host/host';

/** The tests' host entry and the Node flags that load it from TypeScript. */
export function diagHostEntry(): { entry: string; execArgv: string[] } {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return { entry: join(__dirname, 'diag-host-main.ts'), execArgv: ['--import', tsx] };
}

/** forkSpawner for the tests' host. */
export function diagHostSpawner(): HostSpawner {
  return forkSpawner(diagHostEntry());
}

// The tests' ML host: the shipped op table plus the test-only diag.* ops (diag-ops.ts).
import { parentChannel, startHost } from '../../src/main/ml-host/host';
import { hostOps } from '../../src/main/ml-host/host/ops';
import { diagOps } from './diag-ops';

startHost(parentChannel(), { ...hostOps, ...diagOps });

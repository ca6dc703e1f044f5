// Entry of the ML host process (forked as host-main.ts through tsx from sources, or as
// build/ml-host.cjs when bundled). Everything that touches TensorFlow.js runs here, never in the
// Electron main process or the HTTP server.
import { parentChannel } from './channel';
import { startHost } from './host';
import { hostOps } from './ops';

startHost(parentChannel(), hostOps);

// The app-side API of the ML host. Importing this never loads TensorFlow.js (ops.ts, which does,
// is imported only by host-main.ts inside the host process).
export { parentChannel, type ParentChannel } from './channel';
export {
  MlHostClient,
  defaultHostEntry,
  forkSpawner,
  utilitySpawner,
  type HostProcess,
  type HostSpawner,
  type MlHostClientOptions,
  type RunOptions,
  type UtilityProcessLike,
} from './client';
export { startHost, type OpContext, type OpHandler, type OpTable } from './host';
export { MlHostPool, type ChunkRunOptions } from './pool';
export type {
  ClientToHost,
  DiagOpMap,
  ExampleSetData,
  HostEvent,
  HostOpMap,
  HostOpName,
  HostOpParams,
  HostOpResult,
  HostPing,
  HostToClient,
} from './protocol';

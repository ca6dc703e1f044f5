export {
  BACKEND_PREFERENCES,
  defaultLoader,
  hasConvGradients,
  parsePreference,
  selectBackend,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  type BackendPreference,
  type PackageLoader,
  type SelectBackendOptions,
} from './select';
export { withBackend } from './with-backend';
export { unpackedPath } from '../../platform/asar-path';
export { resolveWasmDir, WASM_BINARIES, WASM_PACKAGE } from './wasm-paths';
export { copyFloats, takeFloats, takeScalar } from './read';

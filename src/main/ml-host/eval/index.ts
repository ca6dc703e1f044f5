export {
  BUNDLE_FILE_EXTENSION,
  BUNDLE_META_FILE,
  BUNDLE_WEIGHTS_FILE,
  MAX_BUNDLE_BYTES,
  checkBackboneMatch,
  exportBundle,
  importBundle,
  loadModelBundle,
  saveModelBundle,
  validateBundle,
  type ModelBundle,
} from '../../platform/model-bundle/bundle';
export { evaluateHead, modelProbabilities, predictTopK, topK } from './predict';

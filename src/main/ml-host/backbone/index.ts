export {
  BACKBONE_CATALOGUE,
  downloadBackbone,
  type CatalogueEntry,
  type DownloadBackboneOptions,
  type DownloadProgress,
} from './download';
export {
  classifierProbabilities,
  classify,
  extractFeatures,
  extractFeaturesAndBlocks,
  preprocess,
  type Prediction,
} from './features';
export { fileSystemIO, loadArtifacts, saveArtifacts } from './fs-io';
export { foldedRelus, runInference } from './fused-runner';
export { cutShapeAt, findBlockLayers, layerOutput, splitAtLayer, type SplitModel } from './graph';
export {
  BACKBONE_FORMATS,
  checkBackboneName,
  readBackboneMeta,
  type BackboneFormat,
  type BackboneMeta,
} from '../../platform/backbone-meta';
export {
  DEFAULT_NORMALISATION,
  deleteBackbone,
  importBackbone,
  listBackbones,
  loadBackbone,
  type GraphBackbone,
  type ImportBackboneOptions,
  type LayersBackbone,
  type LoadedBackbone,
} from './store';

export { CHECKPOINT_FILE, loadCheckpoint, type Checkpoint, type LoopState } from './checkpoint';
export { balancedClassWeights, classCounts } from './examples';
export { HeadModel, headProbabilities } from './head';
export {
  checkHeadConfig,
  checkHeadWeights,
  headWeightSpecs,
} from '../../platform/model-bundle/weights';
export { initHead } from './head-spec';
export type { LoopCallbacks, ProgressInfo } from './loop';
export {
  decodePack,
  encodePack,
  readPack,
  writeFileAtomic,
  writePack,
} from '../../platform/model-bundle/pack';
export { Prng, deriveSeed, dropoutMask } from './prng';
export { trainHead, type TrainHeadInput, type TrainHeadResult } from './stage1';
export {
  assignUpperWeights,
  fineTune,
  readUpperWeights,
  type FineTuneInput,
  type FineTuneResult,
} from './stage2';
export { syntheticFeatures } from './synthetic';
export type {
  ExampleSet,
  GradBackendRunner,
  HeadConfig,
  HeadState,
  NamedArray,
  RowReader,
} from './types';

// The labeling queues' ML-host ops (handlers in host/ops-labeling.ts). Type-only: the core imports
// these without loading anything. The host reads the cached features (view 0, the centre crop)
// from the library itself, so feature rows never cross the channel; only ids and heads do.
import type { LabelStrategy } from '../../../shared/contract/label-queue-types';
import type { HeadState } from '../train/types';

export type FeatureRef = { imageId: number; contentHash: string };
export type LabelledRef = FeatureRef & { label: number };
/** Where the features are: the library database and the backbone whose rows to read. */
export type FeatureSource = {
  dbPath: string;
  backbone: { name: string; sha256: string };
  dim: number;
};
export type ClassGuess = { classIndex: number; p: number };

export type LabelHostOpMap = {
  /** Ranks candidates for the label-next queue with `head` (most useful first, `n` of them). */
  'label.rank': {
    params: FeatureSource & {
      head: HeadState;
      candidates: FeatureRef[];
      labelled: FeatureRef[];
      strategy: LabelStrategy;
      n: number;
      seed: number;
      topK: number;
    };
    result: {
      items: { imageId: number; score: number; top: ClassGuess[] }[];
      /** Candidates whose features are not cached (left out). */
      missing: number[];
    };
  };
  /** A softmax head on the labelled photos' features, with its validation accuracy. */
  'label.train': {
    params: FeatureSource & {
      train: LabelledRef[];
      val: LabelledRef[];
      numClasses: number;
      seed: number;
    };
    result: {
      head: HeadState;
      valAccuracy: number | null;
      trainCount: number;
      valCount: number;
    };
  };
  /** The random control: heads on seeded random subsets of `train` of each size in `sizes`. */
  'label.control': {
    params: FeatureSource & {
      train: LabelledRef[];
      val: LabelledRef[];
      numClasses: number;
      sizes: number[];
      seed: number;
    };
    result: { points: { labels: number; valAccuracy: number | null; valCount: number }[] };
  };
  /** Confident-learning suspects from k-fold out-of-fold heads. */
  'label.suspects': {
    params: FeatureSource & {
      items: LabelledRef[];
      numClasses: number;
      folds: number;
      seed: number;
      topK: number;
    };
    result: {
      suspects: {
        imageId: number;
        label: number;
        suggested: number;
        score: number;
        labelProbability: number;
        top: ClassGuess[];
      }[];
      judged: number;
      missing: number[];
    };
  };
};

// A trained model ready to run: its bundle, its own copy of the backbone (with the fine-tuned
// upper weights written in when the model went through stage 2) and the head. The host keeps the
// last one loaded, so a prediction job after an evaluation of the same model loads nothing.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { ModelBundleMeta } from '../../../shared/contract/ml-types';
import { centerBox } from '../augment';
import {
  extractFeatures,
  loadBackbone,
  readBackboneMeta,
  runInference,
  splitAtLayer,
  type LoadedBackbone,
} from '../backbone';
import { takeFloats } from '../backend/read';
import { checkBackboneMatch, loadModelBundle } from '../eval';
import { modelProbabilities } from '../eval/predict';
import { HeadModel } from '../train/head';
import { assignUpperWeights } from '../train/stage2';
import type { HeadState } from '../train/types';
import { SharedCache } from './host-resources';
import type { Rgb } from './images';
import { cropBatch, resizeSide, ttaBoxes, writeCrops, type InputSpec } from './views';
import { BackendOpenSetScorer } from '../openset/backend-scorer';
import type { OpenSetModel } from '../openset/open-set';
import { softmaxRows } from '../openset/temperature';
import type { GradCamParts } from '../explain/gradcam';
import type { MaximiseParts } from '../explain/maximise';
import { applyForInputGradient } from '../explain/maximise-graph';
import type { NetworkImage } from '../explain/occlusion';

/**
 * What the model says about photos: calibrated class probabilities [n, K] (softmax of the logits
 * divided by the fitted temperature), the uncalibrated ones (temperature 1, for the before/after
 * comparison) and each photo's out-of-distribution score (null for models without open-set
 * statistics, trained before the app had them).
 */
export type ModelAnswers = {
  probabilities: Float32Array;
  uncalibrated: Float32Array;
  oodScores: Float32Array | null;
};

export class ModelRunner {
  /** Input → last conv activation, built on first Grad-CAM (shares the backbone's weights). */
  private camModel: tf.LayersModel | null = null;
  /** The open-set score on the backend, made on first use. */
  private scorer: BackendOpenSetScorer | null = null;

  private constructor(
    readonly meta: ModelBundleMeta,
    private readonly backbone: LoadedBackbone,
    readonly headState: HeadState,
    private readonly head: HeadModel,
    readonly openSet: OpenSetModel | null,
  ) {}

  static async load(modelDir: string, backbonesRoot: string): Promise<ModelRunner> {
    const bundle = await loadModelBundle(modelDir);
    const { name } = bundle.meta.backbone;
    let backboneMeta;
    try {
      backboneMeta = await readBackboneMeta(join(backbonesRoot, name));
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw new AppError(
          'NOT_FOUND',
          `This model runs on backbone '${name}', which is not in the library; import it first.`,
          { backbone: name },
        );
      }
      throw error;
    }
    checkBackboneMatch(bundle.meta, backboneMeta);
    const backbone = await loadBackbone(backbonesRoot, name);
    try {
      if (bundle.upper !== null) {
        if (backbone.kind !== 'layers') {
          throw new AppError('MODEL_INVALID', `Backbone '${name}' cannot take fine-tuned weights.`);
        }
        // upper re-applies the backbone's own layers: writing its weights fine-tunes the backbone.
        const { upper } = splitAtLayer(backbone.featureModel, bundle.meta.backbone.splitLayer!);
        assignUpperWeights(upper, bundle.upper);
      }
      const head = new HeadModel(bundle.head);
      return new ModelRunner(bundle.meta, backbone, bundle.head, head, bundle.openSet);
    } catch (error) {
      backbone.dispose();
      throw error;
    }
  }

  get classes(): string[] {
    return this.meta.classes;
  }

  /** True when cached backbone features (of the unmodified backbone) are valid model input. */
  get usesCachedFeatures(): boolean {
    return !this.meta.hasUpper;
  }

  get spec(): InputSpec {
    return {
      inputSize: this.backbone.meta.inputSize,
      normalisation: this.backbone.meta.normalisation,
    };
  }

  /** The temperature the logits are divided by (1 without open-set statistics). */
  get temperature(): number {
    return this.openSet?.stats.temperature ?? 1;
  }

  /**
   * Answers for backbone features [n, D] (of this model's backbone, fine-tuned or not): the head's
   * logits, both softmaxes and the open-set score, all from the same features, so the score costs
   * no extra forward pass. `views` consecutive rows are one photo's test-time views: their
   * probabilities are averaged, and the score is taken on their mean feature.
   */
  async answers(features: Float32Array, views = 1): Promise<ModelAnswers> {
    const d = this.headState.config.inputDim;
    const k = this.classes.length;
    const rows = features.length / d;
    const logits = await takeFloats(
      tf.tidy(() => this.head.logits(tf.tensor2d(features, [rows, d]))),
    );
    /** Rows [rows, width] → the mean of each photo's `views` consecutive rows [rows / views, width]. */
    const meanOfViews = (x: Float32Array, width: number): Float32Array => {
      if (views === 1) return x;
      const out = new Float32Array((rows / views) * width);
      for (let r = 0; r < rows; r++) {
        const base = Math.floor(r / views) * width;
        for (let j = 0; j < width; j++) out[base + j]! += x[r * width + j]! / views;
      }
      return out;
    };
    return {
      probabilities: meanOfViews(softmaxRows(logits, k, this.temperature), k),
      uncalibrated: meanOfViews(softmaxRows(logits, k, 1), k),
      oodScores:
        this.openSet === null
          ? null
          : await (this.scorer ??= new BackendOpenSetScorer(this.openSet.gaussians)).score(
              meanOfViews(features, d),
            ),
    };
  }

  /** Answers for cached features [n, D] (stage-1 models only: the backbone is unchanged). */
  async fromFeatures(features: Float32Array): Promise<ModelAnswers> {
    if (!this.usesCachedFeatures) {
      throw new AppError('INTERNAL', 'A fine-tuned model cannot use cached features.');
    }
    return this.answers(features);
  }

  /** Answers for one 256 image, over its test-time views (the centre crop, or the 10 crops). */
  async fromImage(rgb: Rgb, tta: 'center' | 'multiCrop'): Promise<ModelAnswers> {
    const spec = this.spec;
    const boxes = ttaBoxes(spec, tta);
    const features = await takeFloats(
      tf.tidy(() => extractFeatures(this.backbone, cropBatch(rgb, boxes, spec))),
    );
    return this.answers(features, boxes.length);
  }

  /** The centre crop of one 256 image as normalised network input (what prediction sees). */
  async centreInput(rgb: Rgb): Promise<NetworkImage> {
    const spec = this.spec;
    const size = spec.inputSize;
    const side = resizeSide(size);
    const box = centerBox(side, side, size);
    if (rgb.width === side && rgb.height === side) {
      const data = new Float32Array(size * size * 3);
      writeCrops(rgb, [box], spec, data, 0);
      return { data, size };
    }
    return { data: await takeFloats(tf.tidy(() => cropBatch(rgb, [box], spec))), size };
  }

  /**
   * Penultimate features [D] of one 256 image's centre crop through this model's backbone (with
   * its fine-tuned weights, if any).
   */
  async featuresOfImage(rgb: Rgb): Promise<Float32Array> {
    const input = await this.centreInput(rgb);
    return takeFloats(
      tf.tidy(() =>
        extractFeatures(this.backbone, tf.tensor4d(input.data, [1, input.size, input.size, 3])),
      ),
    );
  }

  /** Class probabilities [n, K] of a batch of network inputs [n, s, s, 3]; caller disposes. */
  probabilities(batch: tf.Tensor4D): tf.Tensor2D {
    return modelProbabilities(this.head, null, extractFeatures(this.backbone, batch));
  }

  /**
   * The two halves Grad-CAM needs: input → the activation the feature pool averages, and pooled
   * features → logits. Only for layers backbones whose feature layer is a global average pool.
   */
  gradCamParts(): GradCamParts {
    const backbone = this.backbone;
    if (backbone.kind !== 'layers') {
      throw new AppError('UNSUPPORTED', 'Grad-CAM needs a layers backbone (not a graph model).');
    }
    const pool = backbone.featureModel.getLayer(backbone.meta.featureLayer);
    if (pool.getClassName() !== 'GlobalAveragePooling2D') {
      throw new AppError(
        'UNSUPPORTED',
        `Grad-CAM needs features from a global average pool; '${pool.name}' is a ${pool.getClassName()}.`,
      );
    }
    this.camModel ??= tf.model({
      inputs: backbone.featureModel.inputs,
      outputs: pool.input,
    });
    const camModel = this.camModel;
    return {
      activation: (input) => runInference(camModel, input) as tf.Tensor4D,
      logits: (features) => this.head.logits(features),
    };
  }

  /**
   * Input → class logits, differentiable with respect to the input (class-maximising images):
   * the backbone's layers with plain convolutions (applyForInputGradient), not the fused
   * inference path, whose ReLU6 has no gradient.
   */
  maximiseParts(): MaximiseParts {
    const backbone = this.backbone;
    if (backbone.kind !== 'layers') {
      throw new AppError('UNSUPPORTED', 'Class-maximising images need a layers backbone.');
    }
    return {
      logits: (input) => {
        const out = applyForInputGradient(backbone.featureModel, input);
        const features = out.rank === 4 ? tf.mean<tf.Tensor2D>(out, [1, 2]) : (out as tf.Tensor2D);
        return this.head.logits(features);
      },
    };
  }

  dispose(): void {
    this.scorer?.dispose();
    this.head.dispose();
    this.backbone.dispose();
  }
}

const cache = new SharedCache<ModelRunner>();

/**
 * Runs `fn` with the runner of `modelDir`. Model folders never change once written, so the path is
 * the cache key; the backbone folder can (replaced under the same name), so its checksum is
 * checked on every use.
 */
export async function withModelRunner<R>(
  modelDir: string,
  backbonesRoot: string,
  fn: (runner: ModelRunner) => Promise<R>,
): Promise<R> {
  return cache.use(
    modelDir,
    () => ModelRunner.load(modelDir, backbonesRoot),
    async (runner) => {
      const { name } = runner.meta.backbone;
      checkBackboneMatch(runner.meta, await readBackboneMeta(join(backbonesRoot, name)));
      return fn(runner);
    },
  );
}

export function releaseModelRunner(): void {
  cache.release();
}

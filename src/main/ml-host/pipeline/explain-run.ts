// The `explain.heatmap` op: one photo, one trained model, one method. The photo is decoded like
// prediction decodes it (library norm image, or any file normalised as import would), the centre
// crop is what the model sees, and the map is laid over that crop.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { argmaxRow } from '../../../shared/domain/metrics';
import { gradCam } from '../explain/gradcam';
import { slidingMap, type SlidingMethod } from '../explain/occlusion';
import { takeFloats } from '../backend/read';
import { tensorLock } from './host-resources';
import { readImageFile, readNormImage } from './images';
import { withModelRunner } from './model-runner';
import type { InferItem, LibraryLocation } from './types';

export type ExplainMethod = SlidingMethod | 'gradcam';

export type ExplainRunParams = LibraryLocation & {
  modelDir: string;
  item: InferItem;
  method: ExplainMethod;
  /** City (class) index in the model's classes; null: the model's own top prediction. */
  classIndex: number | null;
  /** Occlusion / inclusion square and step, in pixels of the network input. */
  box: number;
  stride: number;
  maxImagePixels: number;
};

export type ExplainRunResult = {
  method: ExplainMethod;
  classIndex: number;
  city: string;
  /** The model's probabilities on the whole photo (centre crop), in class order. */
  probabilities: number[];
  rows: number;
  cols: number;
  values: number[][];
  /** The network input side the grid is laid over (the centre crop of the 256 image). */
  inputSize: number;
  box: number | null;
  stride: number | null;
};

export type ExplainCallbacks = {
  signal: AbortSignal;
  progress(done: number, total: number): void;
};

export function explainImage(p: ExplainRunParams, cb: ExplainCallbacks): Promise<ExplainRunResult> {
  return tensorLock.shared(() =>
    withModelRunner(p.modelDir, p.backbonesRoot, async (runner) => {
      const rgb =
        p.item.kind === 'norm'
          ? await readNormImage(p.item.file)
          : await readImageFile(p.item.file, p.maxImagePixels);
      const input = await runner.centreInput(rgb);
      // The centre crop just cut is exactly what prediction sees: score it, no second crop.
      const probabilities = Array.from(
        await takeFloats(
          tf.tidy(() =>
            runner.probabilities(tf.tensor4d(input.data, [1, input.size, input.size, 3])),
          ),
        ),
      );
      const classes = runner.classes;
      const classIndex = p.classIndex ?? argmaxRow(probabilities);
      if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes.length) {
        throw new AppError(
          'BAD_ARGUMENT',
          `Class ${classIndex} is not one of the model's ${classes.length} cities.`,
        );
      }
      const common = {
        classIndex,
        city: classes[classIndex] as string,
        probabilities,
        inputSize: input.size,
      };
      if (p.method === 'gradcam') {
        const map = await gradCam(input, runner.gradCamParts(), classIndex);
        cb.progress(1, 1);
        return {
          ...common,
          method: 'gradcam',
          rows: map.rows,
          cols: map.cols,
          values: map.values,
          box: null,
          stride: null,
        };
      }
      const { scale, offset } = runner.spec.normalisation;
      const map = await slidingMap(input, (batch) => runner.probabilities(batch), {
        method: p.method,
        classIndex,
        box: p.box,
        stride: p.stride,
        // Mid grey, as the paper's occluder, through the backbone's own normalisation.
        fill: Math.fround(128 * scale + offset),
        batchSize: 16,
        onProgress: (done, total) => {
          cb.progress(done, total);
          return cb.signal.aborted;
        },
      });
      return {
        ...common,
        method: p.method,
        rows: map.rows,
        cols: map.cols,
        values: map.values,
        box: p.box,
        stride: p.stride,
      };
    }),
  );
}

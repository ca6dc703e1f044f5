// Where stage 2 cuts the backbone by default: the block inputs it caches and the part above it that
// it fine-tunes. One pure function, so the core (which caches the block inputs in the feature pass)
// and the ML host (which trains) agree without loading TensorFlow.js in the core.
import { AppError } from '../contract/errors';
import type { BackendReport } from '../contract/ml-types';

/**
 * Inverted-residual blocks fine-tuned above the final 1x1 convolution on a CPU backend. One makes
 * MobileNetV2's cut 'expanded_conv_16_expand': the whole last block (1x1 expand 160->960, 3x3
 * depthwise, 1x1 project 960->320) and Conv_1, about 43 M multiply-adds per example forward
 * against Conv_1's 20 M. With the wasm gradient kernels a step costs about 2.5x a Conv_1-only step
 * (docs/benchmarks.md, "Stage 2"); the paper fine-tuned its last whole module, not a single layer.
 */
export const CPU_EXTRA_BLOCKS = 1;

/**
 * Extra blocks on a GPU backend: three makes the cut 'expanded_conv_14_expand', the whole last 7x7
 * stage (blocks 14-16 and Conv_1, 74 M multiply-adds per example), the counterpart of the paper's
 * "last inception module". Chosen from those counts: no GPU was lent to time it yet.
 */
export const GPU_EXTRA_BLOCKS = 3;

type CutMeta = { name: string; format: string; blockLayers: readonly string[] };

/**
 * Default stage-2 cut for the backend that runs it: the layer whose input is cached, counted back
 * from the backbone's last block cut point (MobileNetV2: 'Conv_1'). A backend without convolution
 * gradients (none of the app's today) keeps the last cut point alone.
 */
export function defaultSplitLayer(
  meta: CutMeta,
  backend: Pick<BackendReport, 'gpu' | 'convGradients'> | null = null,
): string {
  const extra =
    backend === null || !backend.convGradients
      ? 0
      : backend.gpu
        ? GPU_EXTRA_BLOCKS
        : CPU_EXTRA_BLOCKS;
  const blocks = meta.blockLayers;
  const last = blocks[Math.max(0, blocks.length - 1 - extra)];
  if (last === undefined) {
    throw new AppError(
      'UNSUPPORTED',
      `Backbone '${meta.name}' (${meta.format}) has no block cut points, so stage 2 cannot fine-tune it; train with stage2 = null.`,
    );
  }
  return last;
}

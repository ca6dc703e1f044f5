import { checkHeadConfig, headWeightSpecs } from '../../platform/model-bundle/weights';
import { Prng, deriveSeed } from './prng';
import type { HeadConfig, HeadState } from './types';

/**
 * Fresh head weights from `seed`: Glorot-uniform kernels (limit sqrt(6 / (fanIn + fanOut))), zero
 * biases. Drawn in JS from our own PRNG, so the same seed gives bit-identical weights everywhere.
 */
export function initHead(config: HeadConfig, seed: number): HeadState {
  checkHeadConfig(config);
  const prng = new Prng(deriveSeed(seed, 'head-init'));
  const weights = headWeightSpecs(config).map(({ name, shape }) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length === 2) {
      const limit = Math.sqrt(6 / ((shape[0] as number) + (shape[1] as number)));
      for (let i = 0; i < values.length; i++) values[i] = (2 * prng.next() - 1) * limit;
    }
    return { name, shape, values };
  });
  return { config: { ...config }, weights };
}

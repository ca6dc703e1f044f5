// The default stage-2 cut by backend: one block above Conv_1 on a CPU backend, three on a GPU,
// Conv_1 alone without convolution gradients, and a clear error for a backbone without cut points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { defaultSplitLayer } from '../../src/shared/domain/stage2-cut';

void describe('stage-2 depth by backend', () => {
  const meta = { name: 'm', format: 'tflite', blockLayers: ['b13', 'b14', 'b15', 'b16', 'Conv_1'] };
  void it('fine-tunes the last three blocks on a GPU, the last block on a CPU', () => {
    assert.equal(defaultSplitLayer(meta, { gpu: true, convGradients: true }), 'b14');
    assert.equal(defaultSplitLayer(meta, { gpu: false, convGradients: true }), 'b16');
    assert.equal(defaultSplitLayer(meta, { gpu: false, convGradients: false }), 'Conv_1');
    assert.equal(defaultSplitLayer(meta), 'Conv_1');
  });
  void it('stops at the first cut point of a short backbone and refuses one without any', () => {
    const short = { ...meta, blockLayers: ['b16', 'Conv_1'] };
    assert.equal(defaultSplitLayer(short, { gpu: true, convGradients: true }), 'b16');
    assert.throws(
      () => defaultSplitLayer({ ...meta, blockLayers: [] }, { gpu: false, convGradients: true }),
      (e: unknown) =>
        e instanceof AppError && e.code === 'UNSUPPORTED' && /no block cut points/.test(e.message),
    );
  });
});

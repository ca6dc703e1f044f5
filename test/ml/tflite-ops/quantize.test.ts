// QUANTIZE / DEQUANTIZE builders (identities in the float network) and the operator registry.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { QUANTIZE_BUILDERS } from '../../../src/main/ml-host/tflite/ops/quantize';
import { SUPPORTED_OPS } from '../../../src/main/ml-host/tflite/ops/registry';
import { buildOne, describeOps } from './harness';

describeOps('TFLite quantize builders', () => {
  void it('DEQUANTIZE of a constant builds nothing and names the constant', () => {
    const built = buildOne(QUANTIZE_BUILDERS.DEQUANTIZE, {
      op: 'DEQUANTIZE',
      tensors: [
        { name: 'w16', shape: [2], type: 'float16', data: Uint8Array.from([0, 60, 0, 64]) },
        { name: 'w', shape: [2] },
      ],
      inputs: [0],
      outputs: [1],
    });
    assert.equal(built.output, null);
    assert.equal(built.ctx.isConst(1), true);
    assert.equal(built.ctx.constTensor(1).name, 'w16');
  });

  void it('QUANTIZE of an activation is the same activation', () => {
    const built = buildOne(QUANTIZE_BUILDERS.QUANTIZE, {
      op: 'QUANTIZE',
      tensors: [
        { name: 'x', shape: [1, 3] },
        { name: 'xq', shape: [1, 3], type: 'uint8', quant: { scale: [0.1], zero: [0] } },
      ],
      inputs: [0],
      outputs: [1],
    });
    assert.ok(built.output !== null);
    assert.equal(built.output, built.ctx.computed(0));
    built.dispose();
  });

  void it('the registry builds exactly the operators the converter has always supported', () => {
    assert.deepEqual(SUPPORTED_OPS, [
      'ADD',
      'AVERAGE_POOL_2D',
      'CONCATENATION',
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'DEQUANTIZE',
      'FULLY_CONNECTED',
      'LOGISTIC',
      'MAX_POOL_2D',
      'MEAN',
      'PAD',
      'QUANTIZE',
      'RELU',
      'RELU6',
      'RESHAPE',
      'SOFTMAX',
      'TANH',
    ]);
  });
});

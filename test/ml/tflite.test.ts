// TFLite reading and conversion on small synthetic models written by a minimal FlatBuffers writer
// below, so every operator path and every malformed-file check runs without ../shared.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import { layerOutput } from '../../src/main/ml-host/backbone';
import { ByteBuffer } from 'flatbuffers';
import { dequantize, parseTflite, tfliteToLayersModel } from '../../src/main/ml-host/tflite';
import { CheckedByteBuffer } from '../../src/main/ml-host/tflite/flatbuffer';

// ---- a minimal FlatBuffers writer: parents first, children appended after (positive offsets) ----
type Field =
  | ['u8' | 'i32' | 'f32', number]
  | ['str', string]
  | ['vi32' | 'vf32' | 'vi64' | 'vu8', ArrayLike<number>]
  | ['table', Fields]
  | ['tables', Fields[]];
type Fields = (Field | undefined)[];

function writeFlatbuffer(root: Fields, identifier = 'TFL3'): Uint8Array {
  const bytes: number[] = [0, 0, 0, 0, ...[...identifier].map((c) => c.charCodeAt(0))];
  const dv = new DataView(new ArrayBuffer(8));
  const put = (at: number, kind: 'u16' | 'i32' | 'u32' | 'f32' | 'i64', v: number): void => {
    const size = kind === 'u16' ? 2 : kind === 'i64' ? 8 : 4;
    if (kind === 'u16') dv.setUint16(0, v, true);
    else if (kind === 'f32') dv.setFloat32(0, v, true);
    else if (kind === 'i64') dv.setBigInt64(0, BigInt(v), true);
    else dv.setUint32(0, v >>> 0, true);
    for (let i = 0; i < size; i++) bytes[at + i] = dv.getUint8(i);
  };
  const reserve = (n: number): number => {
    while (bytes.length % 4 !== 0) bytes.push(0);
    const at = bytes.length;
    for (let i = 0; i < n; i++) bytes.push(0);
    return at;
  };
  const child = (f: Field): number => {
    switch (f[0]) {
      case 'str': {
        const enc = new TextEncoder().encode(f[1]);
        const at = reserve(4 + enc.length + 1);
        put(at, 'u32', enc.length);
        enc.forEach((b, i) => (bytes[at + 4 + i] = b));
        return at;
      }
      case 'table':
        return table(f[1]);
      case 'tables': {
        const at = reserve(4 + 4 * f[1].length);
        put(at, 'u32', f[1].length);
        f[1].forEach((t, i) => {
          const slot = at + 4 + 4 * i;
          put(slot, 'u32', table(t) - slot);
        });
        return at;
      }
      default: {
        const size = f[0] === 'vu8' ? 1 : f[0] === 'vi64' ? 8 : 4;
        const values = Array.from(f[1] as ArrayLike<number>);
        const at = reserve(4 + size * values.length);
        put(at, 'u32', values.length);
        values.forEach((v, i) => {
          const p = at + 4 + size * i;
          if (f[0] === 'vu8') bytes[p] = v & 0xff;
          else put(p, f[0] === 'vf32' ? 'f32' : f[0] === 'vi64' ? 'i64' : 'i32', v);
        });
        return at;
      }
    }
  };
  function table(fields: Fields): number {
    const vt = reserve(4 + 2 * fields.length);
    const at = reserve(4 + 4 * fields.length); // every inline field gets 4 bytes
    put(vt, 'u16', 4 + 2 * fields.length);
    put(vt + 2, 'u16', 4 + 4 * fields.length);
    put(at, 'i32', at - vt);
    fields.forEach((f, id) => {
      if (f === undefined) return;
      const p = at + 4 + 4 * id;
      put(vt + 4 + 2 * id, 'u16', p - at);
      if (f[0] === 'u8') bytes[p] = f[1] & 0xff;
      else if (f[0] === 'i32') put(p, 'i32', f[1]);
      else if (f[0] === 'f32') put(p, 'f32', f[1]);
    });
    fields.forEach((f, id) => {
      if (f === undefined || f[0] === 'u8' || f[0] === 'i32' || f[0] === 'f32') return;
      const p = at + 4 + 4 * id;
      put(p, 'u32', child(f) - p);
    });
    return at;
  }
  const rootAt = table(root);
  put(0, 'u32', rootAt);
  return Uint8Array.from(bytes);
}

// ---- TFLite schema helpers ----
const TYPE = { float32: 0, int32: 2, uint8: 3, int8: 9 } as const;
type TensorSpec = {
  name: string;
  shape: number[];
  type: keyof typeof TYPE;
  buffer?: number;
  quant?: { scale: number[]; zero: number[]; dim?: number };
};
const tensorTable = (t: TensorSpec): Fields => [
  ['vi32', t.shape],
  ['u8', TYPE[t.type]],
  ['i32', t.buffer ?? 0],
  ['str', t.name],
  t.quant && [
    'table',
    [
      undefined,
      undefined,
      ['vf32', t.quant.scale],
      ['vi64', t.quant.zero],
      undefined,
      undefined,
      ['i32', t.quant.dim ?? 0],
    ],
  ],
];
/** BuiltinOptions union: [opcode_index, inputs, outputs, options_type, options]. */
const op = (
  code: number,
  inputs: number[],
  outputs: number[],
  optType?: number,
  opts?: Fields,
): Fields => [
  ['i32', code],
  ['vi32', inputs],
  ['vi32', outputs],
  optType === undefined ? undefined : ['u8', optType],
  opts && ['table', opts],
];
const bytesOf = (arr: Int8Array | Uint8Array | Int32Array | Float32Array): Uint8Array =>
  new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
function model(
  opcodes: number[],
  tensors: TensorSpec[],
  buffers: Uint8Array[],
  ops: Fields[],
  io: [number[], number[]],
): Uint8Array {
  return writeFlatbuffer([
    ['i32', 3],
    // OperatorCode: deprecated_builtin_code (byte, 127 = "look at builtin_code") and builtin_code.
    [
      'tables',
      opcodes.map((c): Fields => [['u8', Math.min(c, 127)], undefined, ['i32', 1], ['i32', c]]),
    ],
    [
      'tables',
      [
        [
          ['tables', tensors.map(tensorTable)],
          ['vi32', io[0]],
          ['vi32', io[1]],
          ['tables', ops],
        ],
      ],
    ],
    ['str', 'synthetic'],
    ['tables', [new Uint8Array(0), ...buffers].map((b): Fields => [['vu8', b]])],
  ]);
}

// ---- the synthetic network: PAD → per-channel int8 CONV (RELU) ‖ uint8 DEPTHWISE (RELU6) → CONCAT → MEAN → FC → SOFTMAX
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const convQ = Int8Array.from(seq(3 * 3 * 3 * 2, (i) => ((i * 7) % 11) - 5)); // [out 3, 3, 3, in 2]
const convScale = [0.1, 0.2, 0.3];
const convBiasQ = Int32Array.from([40, -20, 10]); // no own quantisation: scale = 0.5 * convScale
const dwQ = Uint8Array.from(seq(3 * 3 * 4, (i) => 100 + ((i * 13) % 57))); // [1, 3, 3, in 2 * mult 2]
const dwBiasQ = Int32Array.from([5, -5, 10, 0]); // own scale 0.025
const fcW = Float32Array.from(seq(5 * 7, (i) => Math.sin(i) * 0.3)); // [out 5, in 7]
const fcB = Float32Array.from([0.1, -0.2, 0, 0.3, 0.05]);
const pads = Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]);
const axes = Int32Array.from([1, 2]);

function syntheticModel(extra?: { opcode: number }): Uint8Array {
  const q = (scale: number, zero: number) => ({ scale: [scale], zero: [zero] });
  const tensors: TensorSpec[] = [
    { name: 'input', shape: [1, 4, 4, 2], type: 'uint8', quant: q(0.5, 10) }, // 0
    { name: 'pad/paddings', shape: [4, 2], type: 'int32', buffer: 1 }, // 1
    { name: 'net/pad', shape: [1, 6, 6, 2], type: 'uint8', quant: q(0.5, 10) }, // 2
    {
      name: 'net/conv/weights',
      shape: [3, 3, 3, 2],
      type: 'int8',
      buffer: 2,
      quant: { scale: convScale, zero: [0, 0, 0] },
    }, // 3
    { name: 'net/conv/bias', shape: [3], type: 'int32', buffer: 3 }, // 4
    { name: 'net/conv/Relu', shape: [1, 4, 4, 3], type: 'uint8', quant: q(0.1, 0) }, // 5
    { name: 'net/dw/weights', shape: [1, 3, 3, 4], type: 'uint8', buffer: 4, quant: q(0.05, 128) }, // 6
    { name: 'net/dw/bias', shape: [4], type: 'int32', buffer: 5, quant: q(0.025, 0) }, // 7
    { name: 'net/dw/Relu6', shape: [1, 4, 4, 4], type: 'uint8', quant: q(6 / 255, 0) }, // 8
    { name: 'net/concat', shape: [1, 4, 4, 7], type: 'uint8', quant: q(0.1, 0) }, // 9
    { name: 'net/mean/axes', shape: [2], type: 'int32', buffer: 6 }, // 10
    { name: 'net/pool', shape: [1, 7], type: 'uint8', quant: q(0.1, 0) }, // 11
    { name: 'net/fc/weights', shape: [5, 7], type: 'float32', buffer: 7 }, // 12
    { name: 'net/fc/bias', shape: [5], type: 'float32', buffer: 8 }, // 13
    { name: 'net/logits', shape: [1, 5], type: 'float32' }, // 14
    { name: 'net/probs', shape: [1, 5], type: 'float32' }, // 15
  ];
  const buffers = [pads, convQ, convBiasQ, dwQ, dwBiasQ, axes, fcW, fcB].map(bytesOf);
  const conv = (padding: number, stride: number, act: number): Fields => [
    ['u8', padding],
    ['i32', stride],
    ['i32', stride],
    ['u8', act],
  ];
  const ops = [
    op(0, [0, 1], [2], 22, []), // PAD
    op(1, [2, 3, 4], [5], 1, conv(1, 1, 1)), // CONV_2D valid, RELU
    op(2, [0, 6, 7], [8], 2, [
      ['u8', 0],
      ['i32', 1],
      ['i32', 1],
      ['i32', 2],
      ['u8', 3],
    ]), // DEPTHWISE same, ×2, RELU6
    op(3, [5, 8], [9], 10, [
      ['i32', -1],
      ['u8', 0],
    ]), // CONCATENATION axis -1
    op(4, [9, 10], [11], 27, [['u8', 0]]), // MEAN keep_dims false
    op(5, [11, 12, 13], [14], 8, [['u8', 0]]), // FULLY_CONNECTED
    op(6, [14], [15], 9, [['f32', 1]]), // SOFTMAX
  ];
  const opcodes = [34, 3, 4, 2, 40, 9, 25];
  if (extra) {
    opcodes.push(extra.opcode);
    ops.push(op(7, [15], [15]));
  }
  return model(opcodes, tensors, buffers, ops, [[0], [15]]);
}

/** The same network written directly with tf ops from independently dequantised weights. */
function reference(x: tf.Tensor4D): tf.Tensor[] {
  return tf.tidy(() => {
    const convW = tf
      .tensor4d(Array.from(convQ), [3, 3, 3, 2])
      .mul(tf.tensor1d(convScale).reshape([3, 1, 1, 1]));
    const convB = tf.tensor1d(Array.from(convBiasQ)).mul(tf.tensor1d(convScale).mul(0.5));
    const padded = tf.pad(x, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const kernel = convW.transpose<tf.Tensor4D>([1, 2, 3, 0]);
    const a = tf.relu(tf.conv2d(padded, kernel, 1, 'valid').add(convB));
    const dwW = tf.tensor1d(Array.from(dwQ)).sub(128).mul(0.05).reshape<tf.Tensor4D>([3, 3, 2, 2]);
    const dwB = tf.tensor1d(Array.from(dwBiasQ)).mul(0.025);
    const b = tf.relu6(tf.depthwiseConv2d(x, dwW, 1, 'same').add(dwB));
    const pooled = tf.concat([a, b], 3).mean<tf.Tensor2D>([1, 2]);
    const fc = tf.tensor2d(Array.from(fcW), [5, 7]).transpose();
    const logits = pooled.matMul(fc).add(tf.tensor1d(Array.from(fcB)));
    return [pooled, logits, tf.softmax(logits)];
  });
}

const isCode = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (pattern === undefined || pattern.test(e.message));

void describe('TFLite conversion (synthetic model)', () => {
  before(async () => {
    await selectBackend({ env: {}, preference: 'wasm' });
  });

  void it('parses operators, options, quantisation and per-channel parameters', () => {
    const m = parseTflite(syntheticModel());
    assert.deepEqual(
      m.operators.map((o) => o.op),
      [
        'PAD',
        'CONV_2D',
        'DEPTHWISE_CONV_2D',
        'CONCATENATION',
        'MEAN',
        'FULLY_CONNECTED',
        'SOFTMAX',
      ],
    );
    assert.deepEqual(m.operators[2]?.options, {
      kind: 'conv',
      padding: 'same',
      strideW: 1,
      strideH: 1,
      depthMultiplier: 2,
      activation: 'RELU6',
      dilationW: 1,
      dilationH: 1,
    });
    assert.deepEqual(
      m.tensors[3]?.quantization?.scale.map((s) => +s.toFixed(6)),
      convScale,
    );
    assert.equal(m.description, 'synthetic');
  });

  void it('dequantises per tensor, per channel, and int32 biases with input × weight scale', () => {
    const m = parseTflite(syntheticModel());
    const w = dequantize(m, m.tensors[3]!);
    // Channel of flat index i on dimension 0 of [3,3,3,2] is floor(i / 18).
    for (const i of [0, 17, 18, 35, 36, 53]) {
      assert.ok(
        Math.abs((w[i] ?? 0) - (convQ[i] ?? 0) * (convScale[Math.floor(i / 18)] ?? 0)) < 1e-6,
      );
    }
    const bias = dequantize(
      m,
      m.tensors[4]!,
      convScale.map((s) => s * 0.5),
    );
    assert.deepEqual(
      Array.from(bias).map((v) => +v.toFixed(5)),
      [2, -2, 1.5],
    );
    const dw = dequantize(m, m.tensors[6]!);
    assert.ok(Math.abs((dw[0] ?? 0) - ((dwQ[0] ?? 0) - 128) * 0.05) < 1e-6);
    assert.throws(
      () => dequantize(m, m.tensors[4]!),
      isCode('MODEL_INVALID', /no quantisation scale/),
    );
  });

  void it('builds a float LayersModel that matches the same network written with tf ops', () => {
    const start = tf.memory().numTensors;
    const c = tfliteToLayersModel(syntheticModel(), 'synthetic');
    assert.deepEqual(c.inputShape, [4, 4, 2]);
    assert.deepEqual(c.normalisation, { scale: 0.5, offset: -5 });
    assert.equal(c.featureLayer, 'pool');
    assert.equal(c.featureDim, 7);
    assert.equal(c.outputSize, 5);
    assert.deepEqual(c.opCounts, {
      PAD: 1,
      CONV_2D: 1,
      DEPTHWISE_CONV_2D: 1,
      CONCATENATION: 1,
      MEAN: 1,
      FULLY_CONNECTED: 1,
      SOFTMAX: 1,
    });
    assert.ok(c.model.getLayer('conv_relu') && c.model.getLayer('dw_relu6'));
    const weights = c.model.countParams();
    assert.equal(weights, 3 * 3 * 2 * 3 + 3 + 3 * 3 * 2 * 2 + 4 + 7 * 5 + 5);
    const x = tf.tidy(() => tf.randomUniform<tf.Rank.R4>([2, 4, 4, 2], -5, 122.5, 'float32', 7));
    // Compare the pooled features and the logits too: the softmax alone saturates.
    const probe = tf.model({
      inputs: c.model.inputs,
      outputs: [layerOutput(c.model, 'pool'), layerOutput(c.model, 'fc'), c.model.outputs[0]!],
    });
    const got = probe.predict(x) as tf.Tensor[];
    const want = reference(x);
    got.forEach((g, i) => {
      const w = want[i]!;
      assert.deepEqual(g.shape, w.shape);
      const [diff, scale] = tf.tidy(() => [
        tf.max(tf.abs(tf.sub(g, w))).dataSync()[0] ?? 1,
        tf.max(tf.abs(w)).dataSync()[0] ?? 0,
      ]);
      assert.ok(scale > 0.5, `output ${i} is not trivially small (${scale})`);
      assert.ok(diff <= 1e-5 * Math.max(1, scale), `output ${i}: max difference ${diff}`);
    });
    tf.dispose([x, ...got, ...want]);
    c.model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('names every unsupported operator, including codes only in builtin_code', () => {
    assert.throws(
      () => tfliteToLayersModel(syntheticModel({ opcode: 117 })),
      isCode('UNSUPPORTED', /does not support: HARD_SWISH \(×1\)/),
    );
    assert.throws(
      () => tfliteToLayersModel(syntheticModel({ opcode: 200 })),
      isCode('UNSUPPORTED', /BUILTIN_200/),
    );
  });

  void it('rejects files that are not TFLite, truncated, or reference what does not exist', () => {
    const good = syntheticModel();
    assert.throws(
      () => parseTflite(new TextEncoder().encode('hello world, not a model')),
      isCode('MODEL_INVALID', /expected 'TFL3'/),
    );
    assert.throws(() => parseTflite(good.subarray(0, 6)), isCode('MODEL_INVALID', /too short/));
    assert.throws(
      () => parseTflite(good.subarray(0, Math.floor(good.length / 2))),
      isCode('MODEL_INVALID', /outside the \d+-byte file/),
    );
    const badBuffer = model(
      [25],
      [{ name: 'x', shape: [1, 2], type: 'float32', buffer: 9 }],
      [],
      [op(0, [0], [0])],
      [[0], [0]],
    );
    assert.throws(
      () => parseTflite(badBuffer),
      isCode('MODEL_INVALID', /tensor 0 references buffer 9 of 1/),
    );
    const badTensor = model(
      [25],
      [{ name: 'x', shape: [1, 2], type: 'float32' }],
      [],
      [op(0, [0], [5])],
      [[0], [0]],
    );
    assert.throws(
      () => parseTflite(badTensor),
      isCode('MODEL_INVALID', /operator 0 \(SOFTMAX\) references tensor 5 of 1/),
    );
    const badOpcode = model(
      [25],
      [{ name: 'x', shape: [1, 2], type: 'float32' }],
      [],
      [op(3, [0], [0])],
      [[0], [0]],
    );
    assert.throws(() => parseTflite(badOpcode), isCode('MODEL_INVALID', /op code 3 of 1/));
    // A weight buffer whose size does not match its shape.
    const shortWeights = model(
      [3],
      [
        { name: 'in', shape: [1, 2, 2, 1], type: 'float32' },
        { name: 'w', shape: [1, 1, 1, 1], type: 'float32', buffer: 1 },
        { name: 'out', shape: [1, 2, 2, 1], type: 'float32' },
      ],
      [new Uint8Array(2)],
      [
        op(0, [0, 1], [2], 1, [
          ['u8', 0],
          ['i32', 1],
          ['i32', 1],
          ['u8', 0],
        ]),
      ],
      [[0], [2]],
    );
    assert.throws(
      () => tfliteToLayersModel(shortWeights),
      isCode('MODEL_INVALID', /needs 4 bytes, its buffer has 2/),
    );
  });
});

void describe('CheckedByteBuffer', () => {
  void it('fails reads, vectors and strings that reach past the file, where the plain runtime reads zeros', () => {
    const bytes = Uint8Array.from([0xe8, 0x03, 0, 0, 1, 2, 3, 4]);
    const plain = new ByteBuffer(bytes);
    assert.equal(plain.readInt32(6), 0x0403 | 0, 'the plain ByteBuffer reads past the end');
    const checked = new CheckedByteBuffer(bytes);
    assert.equal(checked.readInt32(4), 0x04030201);
    assert.throws(() => checked.readInt32(6), isCode('MODEL_INVALID', /int32 at byte 6 \(\+4\)/));
    assert.throws(() => checked.readUint8(-1), isCode('MODEL_INVALID', /outside the 8-byte file/));
    // An offset at byte 0 to a vector (or string) at byte 4 that says it has 1000 elements.
    const vec = Uint8Array.from([4, 0, 0, 0, 0xe8, 0x03, 0, 0]);
    const v = new CheckedByteBuffer(vec);
    assert.throws(() => v.__vector_len(0), isCode('MODEL_INVALID', /vector at byte 8 \(\+1000\)/));
    assert.throws(() => v.__string(0), isCode('MODEL_INVALID', /string at byte 8 \(\+1000\)/));
  });
});

// One TFLite operator, hand-built as the parsed model the converter reads (no flatbuffer), run
// through its builder into a small LayersModel that tests compare with the same op in tf ops.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import { AppError } from '../../../src/shared/contract/errors';
import { Namer } from '../../../src/main/ml-host/tflite/layout';
import {
  createBuildContext,
  type BuildContext,
  type OpBuilder,
  type ST,
} from '../../../src/main/ml-host/tflite/ops/context';
import type {
  OperatorOptions,
  Quantization,
  TfliteModel,
  TfliteOperator,
  TfliteTensorType,
} from '../../../src/main/ml-host/tflite/schema';

export type TensorDef = {
  name: string;
  shape: number[];
  type?: TfliteTensorType;
  /** Constant data; tensors without it are activations. */
  data?: Int8Array | Uint8Array | Int32Array | Float32Array;
  quant?: { scale: number[]; zero: number[]; dim?: number };
};

export type OneOp = {
  op: string;
  tensors: TensorDef[];
  inputs: number[];
  outputs: number[];
  options?: OperatorOptions;
};

const quantization = (q: TensorDef['quant']): Quantization | null =>
  q === undefined
    ? null
    : { scale: q.scale, zeroPoint: q.zero, min: [], max: [], quantizedDimension: q.dim ?? 0 };

/** The parsed TFLite model of one operator: buffer 0 is empty, constants get one buffer each. */
export function oneOpModel(spec: OneOp): { model: TfliteModel; operator: TfliteOperator } {
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const tensors = spec.tensors.map((t, index) => {
    let buffer = 0;
    if (t.data !== undefined) {
      buffer = buffers.length;
      buffers.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    const type = t.type ?? 'float32';
    return {
      index,
      name: t.name,
      shape: t.shape,
      type,
      buffer,
      quantization: quantization(t.quant),
    };
  });
  const operator: TfliteOperator = {
    index: 0,
    op: spec.op,
    inputs: spec.inputs,
    outputs: spec.outputs,
    options: spec.options ?? { kind: 'none' },
  };
  const activations = spec.tensors.flatMap((t, i) => (t.data === undefined ? [i] : []));
  const model: TfliteModel = {
    version: 3,
    description: null,
    tensors,
    inputs: activations.filter((i) => !spec.outputs.includes(i)),
    outputs: spec.outputs,
    operators: [operator],
    buffers,
  };
  return { model, operator };
}

export type BuiltOp = {
  ctx: BuildContext;
  /** The operator's output layer graph (null when the builder only renamed a constant). */
  output: ST | null;
  /** Inputs (activations, in tensor order) → output; null with `output`. */
  run(...xs: tf.Tensor[]): tf.Tensor;
  dispose(): void;
};

/** Runs `builder` on the operator of `spec`, its activation inputs as symbolic model inputs. */
export function buildOne(builder: OpBuilder, spec: OneOp): BuiltOp {
  const { model, operator } = oneOpModel(spec);
  const ctx = createBuildContext(model, new Namer(null));
  const inputs = model.inputs.map((i) => {
    const t = model.tensors[i]!;
    const x = tf.input({ shape: t.shape.slice(1), name: t.name, dtype: 'float32' });
    ctx.define(i, x);
    return x;
  });
  const output = builder(ctx, operator);
  const graph = output === null ? null : tf.model({ inputs, outputs: output });
  return {
    ctx,
    output,
    run: (...xs) => {
      assert.ok(graph !== null, 'the operator built no layers');
      return graph.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor;
    },
    dispose: () => graph?.dispose(),
  };
}

/** A suite of builder tests, run on the cpu backend. */
export function describeOps(title: string, body: () => void): void {
  void describe(title, () => {
    before(async () => {
      await tf.setBackend('cpu');
    });
    body();
  });
}

/** Matches an UNSUPPORTED error whose message matches `pattern` (for assert.throws). */
export const unsupportedError =
  (pattern: RegExp) =>
  (e: unknown): boolean =>
    e instanceof AppError && e.code === 'UNSUPPORTED' && pattern.test(e.message);

/** Runs `body` and checks it left no tensor behind. */
export function withoutLeaks(body: () => void): void {
  const start = tf.memory().numTensors;
  body();
  assert.equal(tf.memory().numTensors, start, 'no tensor left behind');
}

/**
 * Runs the built operator on `xs` and checks it against `reference(...xs)` within `tolerance`
 * (largest absolute difference); frees the outputs and the operator's layers.
 */
export function assertComputes(
  built: BuiltOp,
  xs: tf.Tensor[],
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
  tolerance = 1e-6,
  label = '',
): void {
  const got = built.run(...xs);
  const want = tf.tidy(() => reference(...xs));
  const diff = maxDiff(got, want);
  tf.dispose([got, want]);
  built.dispose();
  assert.ok(diff <= tolerance, `${label} max difference ${diff}`);
}

/** Largest absolute difference of two tensors of the same shape. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? Infinity);
}

/** A seeded float input of `shape`. */
export function sample(shape: number[], seed: number, min = -2, max = 2): tf.Tensor {
  return tf.randomUniform(shape, min, max, 'float32', seed);
}

export const seq = (n: number, f: (i: number) => number): number[] =>
  Array.from({ length: n }, (_, i) => f(i));

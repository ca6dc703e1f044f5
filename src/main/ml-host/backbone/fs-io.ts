// A file-system tf.io.IOHandler (model.json + weight files) that needs no @tensorflow/tfjs-node.
// Model folders come from users and the internet, so loading treats them as hostile: JSON is
// validated, weight paths must stay inside the folder (no '..', no absolute paths, no symlinks
// leading out), file sizes must match the manifest exactly, and only known dtypes are accepted.
import type * as tf from '@tensorflow/tfjs';
import { randomBytes } from 'node:crypto';
import { lstat, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';

type ModelArtifacts = tf.io.ModelArtifacts;
type WeightsManifestEntry = tf.io.WeightsManifestEntry;

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
/** model.json larger than this is not a model description (graph models reach a few MB). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

const BYTES_PER: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

const weightEntry = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  group: z.string().optional(),
  quantization: z
    .object({ dtype: z.string(), scale: z.number().optional(), min: z.number().optional() })
    .passthrough()
    .optional(),
});

const modelJson = z
  .object({
    modelTopology: z.record(z.unknown()),
    weightsManifest: z.array(
      z.object({ paths: z.array(z.string()), weights: z.array(weightEntry) }),
    ),
    format: z.string().optional(),
    generatedBy: z.string().optional(),
    convertedBy: z.string().nullable().optional(),
    trainingConfig: z.record(z.unknown()).optional(),
    signature: z.record(z.unknown()).optional(),
    userDefinedMetadata: z.record(z.unknown()).optional(),
    modelInitializer: z.record(z.unknown()).optional(),
  })
  .passthrough();

export type ModelJson = z.infer<typeof modelJson>;

function invalid(dir: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('MODEL_INVALID', `Model folder ${dir}: ${message}`, { dir, ...details });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Reads and validates model.json (structure only; weights are checked by loadArtifacts). */
export async function readModelJson(dir: string): Promise<ModelJson> {
  const path = join(dir, MODEL_JSON);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new AppError('NOT_FOUND', `No ${MODEL_JSON} in ${dir}.`, { dir });
  }
  if (!info.isFile() || info.size > MAX_MODEL_JSON_BYTES) {
    throw invalid(dir, `${MODEL_JSON} is not a file of at most ${MAX_MODEL_JSON_BYTES} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw invalid(dir, `${MODEL_JSON} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = modelJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the top level';
    throw invalid(dir, `${MODEL_JSON} is malformed at ${where}: ${issue?.message ?? 'invalid'}`, {
      field: where,
    });
  }
  return parsed.data;
}

/** Resolves a manifest path, refusing anything that leaves `dir` (lexically or via symlinks). */
async function safeWeightPath(dir: string, realDir: string, p: string): Promise<string> {
  if (
    p === '' ||
    isAbsolute(p) ||
    /^[a-zA-Z]:/.test(p) ||
    p.includes('\0') ||
    /^[a-z]+:\/\//i.test(p)
  ) {
    throw invalid(dir, `weight path '${p}' must be a relative file name`, { path: p });
  }
  const full = resolve(dir, p);
  if (!isInside(resolve(dir), full)) {
    throw invalid(dir, `weight path '${p}' points outside the model folder`, { path: p });
  }
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    throw invalid(dir, `weight file '${p}' is missing`, { path: p });
  }
  if (!isInside(realDir, real)) {
    throw invalid(dir, `weight file '${p}' is a link that leads outside the model folder`, {
      path: p,
    });
  }
  if (!(await lstat(real)).isFile())
    throw invalid(dir, `weight path '${p}' is not a file`, { path: p });
  return real;
}

function entryBytes(dir: string, w: z.infer<typeof weightEntry>): number {
  const dtype = w.quantization?.dtype ?? w.dtype;
  const size = BYTES_PER[dtype];
  if (size === undefined || !['float32', 'int32', 'bool'].includes(w.dtype)) {
    throw invalid(dir, `weight '${w.name}' has unsupported dtype '${dtype}'`, {
      weight: w.name,
      dtype,
    });
  }
  return w.shape.reduce((a, b) => a * b, 1) * size;
}

/** Loads model.json and its weights as tfjs ModelArtifacts (one contiguous weightData). */
export async function loadArtifacts(dir: string): Promise<ModelArtifacts> {
  const json = await readModelJson(dir);
  const realDir = await realpath(dir);
  const specs: WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const [g, group] of json.weightsManifest.entries()) {
    const expected = group.weights.reduce((sum, w) => sum + entryBytes(dir, w), 0);
    const files: Buffer[] = [];
    for (const p of group.paths) files.push(await readFile(await safeWeightPath(dir, realDir, p)));
    const got = files.reduce((sum, f) => sum + f.byteLength, 0);
    if (got !== expected) {
      throw invalid(
        dir,
        `weight group ${g} (${group.paths.join(', ')}) holds ${got} bytes, the manifest needs ${expected}`,
        {
          group: g,
          bytes: got,
          expected,
        },
      );
    }
    chunks.push(...files);
    specs.push(...(group.weights as WeightsManifestEntry[]));
  }
  const total = chunks.reduce((s, c) => s + c.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    weightData.set(c, offset);
    offset += c.byteLength;
  }
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? null,
  };
  if (json.trainingConfig)
    artifacts.trainingConfig = json.trainingConfig as unknown as tf.io.TrainingConfig;
  if (json.signature) artifacts.signature = json.signature;
  if (json.userDefinedMetadata)
    artifacts.userDefinedMetadata = json.userDefinedMetadata as NonNullable<
      ModelArtifacts['userDefinedMetadata']
    >;
  if (json.modelInitializer) artifacts.modelInitializer = json.modelInitializer;
  return artifacts;
}

function joinWeightData(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** Writes model.json + weights.bin into `dir` (which must exist); each file replaced atomically. */
export async function saveArtifacts(
  dir: string,
  artifacts: ModelArtifacts,
): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology === undefined) {
    throw new AppError('UNSUPPORTED', 'Only JSON model topologies can be saved to a folder.');
  }
  const weights = joinWeightData(artifacts.weightData);
  const json: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  for (const key of [
    'trainingConfig',
    'signature',
    'userDefinedMetadata',
    'modelInitializer',
  ] as const) {
    if (artifacts[key] !== undefined) json[key] = artifacts[key];
  }
  const tag = randomBytes(4).toString('hex');
  const write = async (name: string, data: string | Uint8Array): Promise<void> => {
    const tmp = join(dir, `.${name}.${tag}.tmp`);
    try {
      await writeFile(tmp, data);
      await rename(tmp, join(dir, name));
    } catch (error) {
      await rm(tmp, { force: true });
      throw new AppError(
        'IO_ERROR',
        `Could not write ${join(dir, name)}: ${(error as Error).message}`,
      );
    }
  };
  await write(WEIGHTS_BIN, weights);
  await write(MODEL_JSON, JSON.stringify(json));
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: weights.byteLength,
    },
  };
}

/** tf.io handler for a model folder: `tf.loadLayersModel(fileSystemIO(dir))`, `model.save(…)`. */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  return {
    load: () => loadArtifacts(dir),
    save: (artifacts) => saveArtifacts(dir, artifacts),
  };
}

/** 'layers' or 'graph', from model.json's format field or, failing that, the topology's shape. */
export function topologyKind(json: ModelJson): 'layers' | 'graph' {
  if (json.format === 'layers-model') return 'layers';
  if (json.format === 'graph-model') return 'graph';
  const topo = json.modelTopology;
  if (Array.isArray(topo.node)) return 'graph';
  if ('class_name' in topo || 'model_config' in topo) return 'layers';
  throw new AppError('MODEL_INVALID', 'model.json is neither a layers model nor a graph model.');
}

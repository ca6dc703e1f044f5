import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { ModelBundleMeta } from '../../../shared/contract/ml-types';
import { checkHeadWeights, type HeadState, type NamedArray } from './weights';
import { encodePack, readPack, writeFileAtomic } from './pack';
import { openSetArrays, openSetFromArrays, type OpenSetModel } from './open-set-arrays';
import { bundleMetaSchema } from './bundle-schema';

/**
 * A trained model on disk. As a folder (the library's models/<id>/):
 *   model.json     ModelBundleMeta, readable JSON
 *   weights.lptp   head weights ('head/<name>') and, after stage 2, the fine-tuned trainable
 *                  weights of the backbone's upper part ('upper/<i>/<name>'), and the open-set
 *                  statistics ('openset/<name>', see openset/open-set.ts)
 * As one file (export/import, .lpmodel): the same pack format with the metadata inside.
 * The backbone itself is not included: meta.backbone names it with its sha256.
 */
export type ModelBundle = {
  meta: ModelBundleMeta;
  head: HeadState;
  upper: NamedArray[] | null;
  /** Open-set statistics (arrays 'openset/<name>'), present exactly when meta.openSet is. */
  openSet: OpenSetModel | null;
};

export const BUNDLE_META_FILE = 'model.json';
export const BUNDLE_WEIGHTS_FILE = 'weights.lptp';
export const BUNDLE_FILE_EXTENSION = '.lpmodel';
/** Refuse larger bundle files before reading them (a MobileNet v2 upper block is ~10 MB). */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

const HEAD = 'head/';
const UPPER = 'upper/';
const OPENSET = 'openset/';

function invalid(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('MODEL_INVALID', message, details);
}

/**
 * Checks untrusted metadata and arrays and assembles a bundle: schema, head shapes against the
 * declared architecture and classes, upper weights present exactly when declared, no extra
 * arrays, every value finite. Throws MODEL_INVALID with the first problem found.
 */
export function validateBundle(rawMeta: unknown, arrays: readonly NamedArray[]): ModelBundle {
  const parsed = bundleMetaSchema.safeParse(rawMeta);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `Model metadata is invalid${issue ? ` at ${issue.path.join('.') || 'root'}: ${issue.message}` : ''}.`,
    );
  }
  const meta = parsed.data;
  if (meta.head.numClasses !== meta.classes.length) {
    throw invalid(
      `The head has ${meta.head.numClasses} outputs for ${meta.classes.length} classes.`,
    );
  }
  if (meta.head.inputDim !== meta.backbone.featureDim) {
    throw invalid(
      `The head takes ${meta.head.inputDim} features, the backbone gives ${meta.backbone.featureDim}.`,
    );
  }
  if (meta.hasUpper && meta.backbone.splitLayer === null) {
    throw invalid('Fine-tuned upper weights need the backbone split layer.');
  }
  const strip = (prefix: string): NamedArray[] =>
    arrays
      .filter((a) => a.name.startsWith(prefix))
      .map((a) => ({ ...a, name: a.name.slice(prefix.length) }));
  const headWeights = strip(HEAD);
  const upper = strip(UPPER);
  const openSetArrays = strip(OPENSET);
  if (headWeights.length + upper.length + openSetArrays.length !== arrays.length) {
    throw invalid('The weights file holds arrays that belong to no part of the model.');
  }
  const config = { ...meta.head };
  checkHeadWeights(
    {
      inputDim: config.inputDim,
      numClasses: config.numClasses,
      hidden: config.hidden,
      dropout: config.dropout,
    },
    headWeights,
  );
  if (meta.hasUpper !== upper.length > 0) {
    throw invalid(
      meta.hasUpper ? 'Fine-tuned upper weights are missing.' : 'Unexpected upper weights.',
    );
  }
  upper.forEach((w, i) => {
    if (!w.name.startsWith(`${i}/`))
      throw invalid(`Upper weight ${i} is out of order (${w.name}).`);
    if (!w.values.every(Number.isFinite))
      throw invalid(`Upper weight ${w.name} holds non-finite values.`);
  });
  if ((meta.openSet === undefined) !== (openSetArrays.length === 0)) {
    throw invalid(
      meta.openSet === undefined
        ? 'Unexpected open-set statistics.'
        : 'The open-set statistics are missing.',
    );
  }
  if (!openSetArrays.every((a) => a.values.every(Number.isFinite))) {
    throw invalid('The open-set statistics hold non-finite values.');
  }
  const openSet =
    meta.openSet === undefined
      ? null
      : openSetFromArrays(meta.openSet, openSetArrays, config.inputDim, config.numClasses);
  return {
    meta,
    openSet,
    head: {
      config: {
        inputDim: config.inputDim,
        numClasses: config.numClasses,
        hidden: config.hidden,
        dropout: config.dropout,
      },
      weights: headWeights,
    },
    upper: meta.hasUpper ? upper.map((w) => ({ ...w, name: `${UPPER}${w.name}` })) : null,
  };
}

function arraysOf(bundle: ModelBundle): NamedArray[] {
  return [
    ...bundle.head.weights.map((w) => ({ ...w, name: `${HEAD}${w.name}` })),
    // Upper weights carry their 'upper/' prefix already (as readUpperWeights names them).
    ...(bundle.upper ?? []).map((w) => ({
      ...w,
      name: w.name.startsWith(UPPER) ? w.name : `${UPPER}${w.name}`,
    })),
    ...(bundle.openSet === null ? [] : openSetArrays(bundle.openSet)).map((a) => ({
      ...a,
      name: `${OPENSET}${a.name}`,
    })),
  ];
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes a bundle folder at `dir` (which must not exist yet): built in a temp folder beside it
 * and renamed into place, so a crash never leaves a half-written model behind.
 */
export async function saveModelBundle(dir: string, bundle: ModelBundle): Promise<void> {
  const checked = validateBundle(bundle.meta, arraysOf(bundle));
  if (await exists(dir)) throw new AppError('CONFLICT', `${dir} already exists.`, { path: dir });
  const tmp = join(dirname(dir), `.${basename(dir)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(tmp, { recursive: true });
    await writeFileAtomic(
      join(tmp, BUNDLE_META_FILE),
      `${JSON.stringify(checked.meta, null, 2)}\n`,
    );
    await writeFileAtomic(
      join(tmp, BUNDLE_WEIGHTS_FILE),
      encodePack({ format: 'littleplanet-weights' }, arraysOf(bundle)),
    );
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    throw new AppError(
      'IO_ERROR',
      `Could not save the model to ${dir}: ${(error as Error).message}`,
    );
  }
}

export async function loadModelBundle(dir: string): Promise<ModelBundle> {
  let metaText: string;
  try {
    metaText = await readFile(join(dir, BUNDLE_META_FILE), 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `No model at ${dir}.`, { path: dir });
  }
  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    throw invalid(`${join(dir, BUNDLE_META_FILE)} is not valid JSON.`);
  }
  const pack = await readPack(join(dir, BUNDLE_WEIGHTS_FILE), MAX_BUNDLE_BYTES);
  return validateBundle(meta, pack.arrays);
}

/** Writes the bundle folder `dir` as one portable file `file` (atomically). */
export async function exportBundle(
  dir: string,
  file: string,
): Promise<{ path: string; bytes: number }> {
  const bundle = await loadModelBundle(dir);
  const data = encodePack(
    { format: 'littleplanet-model-file', meta: bundle.meta },
    arraysOf(bundle),
  );
  await writeFileAtomic(file, data);
  return { path: file, bytes: data.length };
}

/**
 * Reads an exported file, validating everything (a hostile or corrupt file fails with
 * MODEL_INVALID and leaves nothing behind), and saves it as a bundle folder `dir`.
 */
export async function importBundle(file: string, dir: string): Promise<ModelBundle> {
  const pack = await readPack(file, MAX_BUNDLE_BYTES);
  const wrapper = pack.meta as { format?: unknown; meta?: unknown } | null;
  if (
    typeof wrapper !== 'object' ||
    wrapper === null ||
    wrapper.format !== 'littleplanet-model-file'
  ) {
    throw invalid(`${file} is not an exported LittlePlaNet model.`);
  }
  const bundle = validateBundle(wrapper.meta, pack.arrays);
  await saveModelBundle(dir, bundle);
  return bundle;
}

/** Refuses to pair a bundle with another backbone than the one it was trained on. */
export function checkBackboneMatch(
  meta: ModelBundleMeta,
  backbone: { name: string; sha256: string },
): void {
  if (meta.backbone.sha256 !== backbone.sha256) {
    throw new AppError(
      'CONFLICT',
      `This model was trained on backbone '${meta.backbone.name}' (sha256 ${meta.backbone.sha256.slice(0, 12)}…), not on '${backbone.name}' (${backbone.sha256.slice(0, 12)}…).`,
    );
  }
}

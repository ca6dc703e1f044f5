// backbone.json: what a backbone folder holds and how to feed it. Validated on every read, since
// the folder lives in the user's data directory and may have been edited or half-copied.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';

export const BACKBONE_JSON = 'backbone.json';
export const BACKBONE_FORMATS = ['tflite', 'tfjs-layers', 'tfjs-graph'] as const;
export type BackboneFormat = (typeof BACKBONE_FORMATS)[number];

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const metaSchema = z.object({
  version: z.literal(1),
  name: z.string().regex(NAME_PATTERN),
  format: z.enum(BACKBONE_FORMATS),
  /** Square input side in pixels (224 for MobileNetV2). */
  inputSize: z.number().int().positive(),
  /** x_float = x_uint8 * scale + offset, e.g. { scale: 1/128, offset: -1 } → [-1, 1). */
  normalisation: z.object({ scale: z.number().finite(), offset: z.number().finite() }),
  /** Layer (layers models) or node (graph models) whose output is the feature vector. */
  featureLayer: z.string().min(1),
  featureDim: z.number().int().positive(),
  /** Cut points for stage-2 fine-tuning, first block first, last block last ([] for graphs). */
  blockLayers: z.array(z.string()),
  /** One label per classifier output (index 0 'background' for the 1001-class MobileNets). */
  classifierLabels: z.array(z.string()).nullable(),
  /** Where it came from: the imported path's base name or the download URL. */
  source: z.string(),
  /** sha256 of the source file; for a folder, of the sorted "<sha256>  <path>" lines. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sourceFiles: z.array(z.object({ path: z.string(), bytes: z.number(), sha256: z.string() })),
  createdAt: z.string(),
});

export type BackboneMeta = z.infer<typeof metaSchema>;

export function checkBackboneName(name: string): string {
  if (!NAME_PATTERN.test(name) || name.endsWith('.') || name.includes('..')) {
    throw new AppError(
      'BAD_ARGUMENT',
      `'${name}' is not a usable backbone name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
      { name },
    );
  }
  return name;
}

export function parseBackboneMeta(raw: unknown, where: string): BackboneMeta {
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'MODEL_INVALID',
      `${where}: ${BACKBONE_JSON} is malformed at ${issue?.path.join('.') || 'the top level'} (${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

export async function readBackboneMeta(dir: string): Promise<BackboneMeta> {
  let text: string;
  try {
    text = await readFile(join(dir, BACKBONE_JSON), 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `No backbone in ${dir} (${BACKBONE_JSON} is missing).`, {
      dir,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'MODEL_INVALID',
      `${dir}: ${BACKBONE_JSON} is not valid JSON (${(error as Error).message}).`,
    );
  }
  return parseBackboneMeta(raw, dir);
}

export async function writeBackboneMeta(dir: string, meta: BackboneMeta): Promise<void> {
  await writeFile(
    join(dir, BACKBONE_JSON),
    `${JSON.stringify(parseBackboneMeta(meta, dir), null, 2)}\n`,
  );
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One digest for several files: sha256 over their sorted "<sha256>  <path>\n" lines. */
export function combinedSha256(files: { path: string; sha256: string }[]): string {
  const lines = files.map((f) => `${f.sha256}  ${f.path}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

// Class-maximising image jobs, core side: for each city asked for, answer from the PNG cache in
// the model's folder, else have the ML host run the gradient ascent and keep the image. Each city
// is its own host op and is stored as soon as it is done, so a cancel keeps the finished cities.
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/contract/errors';
import type { MaximiseImage, MaximiseResult } from '../../../shared/contract/ml-types';
import type { ParamsOut } from '../../../shared/contract/methods';
import type { JobContext } from '../jobs/job-manager';
import { sqlOf } from '../db/sql';
import { classIndexOf } from './explain-jobs';
import type { MlCore } from './ml-core';
import type { MlHosts } from './ml-hosts';
import { mlPaths } from './ml-paths';
import { modelDirOf, modelRecord, type ModelRecord } from './models-repo';

type Key = { classIndex: number; steps: number; seed: number; size: number };

/** What the sidecar JSON beside each PNG holds. */
type Sidecar = Key & { city: string; probability: number; startProbability: number };

const FOLDER = 'maximise';

function baseName(k: Key): string {
  return `class${k.classIndex}-steps${k.steps}-seed${k.seed}-size${k.size}`;
}

/** `<model folder>/maximise`, where the images of that model live. */
export function maximiseDir(modelDir: string): string {
  return join(modelDir, FOLDER);
}

async function readImage(dir: string, name: string): Promise<MaximiseImage | null> {
  let side: Sidecar;
  let png: Buffer;
  const file = join(dir, `${name}.png`);
  try {
    side = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as Sidecar;
    png = await readFile(file);
  } catch {
    return null; // Absent, or half written by a run that died: computed again.
  }
  return {
    city: side.city,
    classIndex: side.classIndex,
    probability: side.probability,
    startProbability: side.startProbability,
    steps: side.steps,
    seed: side.seed,
    size: side.size,
    dataUrl: `data:image/png;base64,${png.toString('base64')}`,
    file,
  };
}

/** Writes a file whole or not at all (a reader never sees half a PNG). */
async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

/** Every cached image of a model, in class order (then steps, seed, size). */
export async function listMaximised(core: MlCore, modelId: string): Promise<MaximiseImage[]> {
  const db = core.db();
  const model = modelRecord(sqlOf(db), modelId);
  const dir = maximiseDir(modelDirOf(mlPaths(db), model));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const images: MaximiseImage[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const image = await readImage(dir, name.slice(0, -'.json'.length));
    // Only the model's own cities (a sidecar that names another class index is ignored).
    if (image !== null && model.meta.classes[image.classIndex] === image.city) images.push(image);
  }
  return images.sort(
    (a, b) =>
      a.classIndex - b.classIndex || a.steps - b.steps || a.seed - b.seed || a.size - b.size,
  );
}

export function startMaximise(
  core: MlCore,
  hosts: MlHosts,
  params: ParamsOut<'maximise.start'>,
): string {
  const model = modelRecord(sqlOf(core.db()), params.modelId);
  if (params.city !== null) classIndexOf(model.meta.classes, params.city);
  return core.startJob('maximise', params, (ctx) => runMaximise(core, hosts, model, params, ctx));
}

async function runMaximise(
  core: MlCore,
  hosts: MlHosts,
  model: ModelRecord,
  params: ParamsOut<'maximise.start'>,
  ctx: JobContext,
): Promise<MaximiseResult> {
  const paths = mlPaths(core.db());
  const classes = model.meta.classes;
  const modelDir = modelDirOf(paths, model);
  const dir = maximiseDir(modelDir);
  const wanted =
    params.city === null ? classes.map((_, i) => i) : [classIndexOf(classes, params.city)];
  const { steps, seed, size } = params;
  const images: MaximiseImage[] = [];
  const missing: number[] = [];
  for (const classIndex of wanted) {
    const hit = await readImage(dir, baseName({ classIndex, steps, seed, size }));
    if (hit !== null) images.push(hit);
    else missing.push(classIndex);
  }
  const cached = images.length;
  if (missing.length > 0) {
    ctx.log(
      'info',
      `Drawing ${missing.length} ${missing.length === 1 ? 'city' : 'cities'} by gradient ascent (${steps} steps at ${size} px each).`,
    );
    await mkdir(dir, { recursive: true });
  }
  for (const [n, classIndex] of missing.entries()) {
    if (ctx.signal.aborted) break;
    let run;
    try {
      run = await hosts.run(
        'maximise.image',
        {
          dbPath: paths.dbPath,
          backbonesRoot: paths.backbonesRoot,
          modelDir,
          classIndex,
          size,
          steps,
          seed,
          progressBase: n * steps,
          progressTotal: missing.length * steps,
        },
        ctx,
      );
    } catch (error) {
      // A cancel mid-city keeps the cities already drawn (and stored).
      if (error instanceof AppError && error.code === 'CANCELLED') break;
      throw error;
    }
    const key = { classIndex, steps, seed, size };
    const name = baseName(key);
    const png = await sharp(Buffer.from(run.rgb), {
      raw: { width: run.size, height: run.size, channels: 3 },
    })
      .png()
      .toBuffer();
    await writeAtomic(join(dir, `${name}.png`), png);
    const side: Sidecar = {
      ...key,
      city: run.city,
      probability: run.probabilities[classIndex] ?? 0,
      startProbability: run.start[classIndex] ?? 0,
    };
    await writeAtomic(join(dir, `${name}.json`), JSON.stringify(side));
    const image = await readImage(dir, name);
    if (image !== null) images.push(image);
    // Every window showing this model's city images lists them again (a CLI run included).
    core.notifyChanged('models');
  }
  images.sort((a, b) => a.classIndex - b.classIndex);
  return { modelId: model.id, classes, images, cached };
}

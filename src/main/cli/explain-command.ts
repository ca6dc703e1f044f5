import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXPLAIN_METHODS, type ExplainResult } from '../../shared/contract/ml-types';
import { renderImage } from '../platform/image/render';
import { writeExplainPng } from '../core/ml-jobs/explain-png';
import { readSettings } from '../core/repo/settings';
import { Sql } from '../core/db/sql';
import type { CommandContext, CommandSpec } from './command';
import { choiceOption, defined, numberOption, runCancellableJob, stringOption } from './ml-job';
import { mlMethods } from '../../shared/contract/ml-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

const METHOD_CHOICES = Object.fromEntries(EXPLAIN_METHODS.map((m) => [m, m])) as {
  [M in (typeof EXPLAIN_METHODS)[number]]: M;
};

function explainText(r: ExplainResult): string {
  const p = r.probabilities[r.classIndex] ?? 0;
  const cells = r.values.map((row) => row.map((v) => v.toFixed(3).padStart(7)).join(' '));
  const how =
    r.method === 'gradcam'
      ? 'Grad-CAM on the last convolutional block'
      : `${r.method}, ${r.box}px square every ${r.stride}px of the ${r.inputSize}px crop`;
  return [
    `${r.path}: ${r.city} ${(100 * p).toFixed(1)}% — ${how}${r.cached ? ' (cached)' : ''}`,
    ...cells,
  ].join('\n');
}

/** The photo's 256x256 norm image: from the library cache, or made from the file like import. */
async function normImage(ctx: CommandContext, r: ExplainResult): Promise<Buffer> {
  if (r.imageId !== null) {
    const file = await ctx.core.assetPath('norm', r.imageId);
    if (file !== null) return readFile(file);
  }
  const maxPixels = readSettings(new Sql(ctx.core.db())).maxImagePixels;
  return (await renderImage(await readFile(r.path), maxPixels)).norm;
}

const explainParams = paramsShape(mlMethods['explain.start'].params);

export const EXPLAIN_COMMAND: CommandSpec = {
  name: 'explain',
  args: 'PATH',
  summary: 'Heatmap of the regions that make a photo look like a city',
  details:
    "Prints {method, city, rows, cols, values}: a rows x cols grid over the photo (row 0 at the top)\nof each region's evidence for the city. Occlusion: the drop in its probability when the region\nis hidden (larger = more important); inclusion: its probability with only that region shown;\nGrad-CAM: gradient-weighted activation. Results are cached in the library.",
  positionals: { min: 1, max: 1 },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to explain', required: true },
    method: paramOption(explainParams.method, {
      value: 'occlusion|inclusion|gradcam',
      description: 'how to probe the model',
    }),
    city: paramOption(explainParams.city, {
      value: 'NAME',
      description: 'city to explain',
      none: "the model's top city",
    }),
    box: paramOption(explainParams.box, {
      value: 'PX',
      description: 'square side for occlusion/inclusion',
    }),
    stride: paramOption(explainParams.stride, { value: 'PX', description: 'step between squares' }),
    png: { type: 'string', value: 'FILE', description: 'also write the overlay picture (PNG)' },
  },
  library: 'open',
  async run(ctx) {
    const path = resolve(ctx.io.cwd, ctx.positionals[0] as string);
    const result = await runCancellableJob(
      ctx,
      'explain.start',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        path,
        ...defined({
          method: choiceOption(ctx, 'method', METHOD_CHOICES),
          city: stringOption(ctx, 'city'),
          box: numberOption(ctx, 'box'),
          stride: numberOption(ctx, 'stride'),
        }),
      },
      { what: 'explanation', label: 'explain' },
    );
    const png = stringOption(ctx, 'png');
    if (png !== undefined) {
      await writeExplainPng(result, await normImage(ctx, result), resolve(ctx.io.cwd, png));
      ctx.log(`littleplanet: wrote ${resolve(ctx.io.cwd, png)}`);
    }
    ctx.output(
      {
        method: result.method,
        city: result.city,
        rows: result.rows,
        cols: result.cols,
        values: result.values,
        probability: result.probabilities[result.classIndex] ?? null,
        box: result.box,
        stride: result.stride,
        inputSize: result.inputSize,
        cached: result.cached,
      },
      () => explainText(result),
    );
  },
};

const EMBED_CHOICES = { tsne: 'tsne', umap: 'umap' } as const;
const SPLIT_CHOICES = { train: 'train', val: 'val', test: 'test' } as const;

const embedParams = paramsShape(mlMethods['embed.start'].params);

export const EMBED_COMMAND: CommandSpec = {
  name: 'embed',
  summary: "2-d map (t-SNE or UMAP) of a sample of photos' penultimate features",
  details:
    "Prints {points: [{imageId, x, y, city, predicted, p}]} for a seeded sample of labelled photos\nof the model's cities (the same sample and seed give the same map; maps are cached).",
  positionals: { min: 0, max: 0 },
  options: {
    model: {
      type: 'string',
      value: 'ID',
      description: 'the model whose features to map',
      required: true,
    },
    method: paramOption(embedParams.method, { value: 'tsne|umap', description: 'layout' }),
    sample: paramOption(embedParams.sample, { value: 'N', description: 'photos in the sample' }),
    seed: paramOption(embedParams.seed, { value: 'S', description: 'sample and layout seed' }),
    split: { type: 'string', value: 'train|val|test', description: 'only photos of this split' },
  },
  library: 'open',
  async run(ctx) {
    const result = await runCancellableJob(
      ctx,
      'embed.start',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        ...defined({
          method: choiceOption(ctx, 'method', EMBED_CHOICES),
          sample: numberOption(ctx, 'sample'),
          seed: numberOption(ctx, 'seed'),
          split: choiceOption(ctx, 'split', SPLIT_CHOICES),
        }),
      },
      { what: 'feature map', label: 'embed' },
    );
    for (const e of result.errors) ctx.log(`littleplanet: left out ${e.path}: ${e.reason}`);
    ctx.output(
      {
        method: result.method,
        seed: result.seed,
        cached: result.cached,
        points: result.points.map((p) => ({
          imageId: p.imageId,
          x: p.x,
          y: p.y,
          city: p.city,
          predicted: p.predicted,
          p: p.probability,
        })),
      },
      () => {
        const right = result.points.filter((p) => p.city === p.predicted).length;
        return `${result.points.length} photos mapped with ${result.method === 'tsne' ? 't-SNE' : 'UMAP'} (seed ${result.seed}${result.cached ? ', cached' : ''}); the model is right on ${right}. Use --json for the coordinates.`;
      },
    );
  },
};

// `littleplanet maximise`: the class-maximising image of each of a model's cities (or one), drawn
// by gradient ascent in the ML host and cached in the model's folder; copied to --out if given.
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { MaximiseImage } from '../../shared/contract/ml-types';
import type { CommandSpec } from './command';
import { defined, numberOption, runCancellableJob, stringOption } from './ml-job';
import { mlMethods } from '../../shared/contract/ml-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

function line(image: MaximiseImage, file: string): string {
  const from = (100 * image.startProbability).toFixed(1);
  const to = (100 * image.probability).toFixed(1);
  return `${image.city}: ${to}% (from ${from}% on the noise it started from) ${file}`;
}

/** `<city>.png` with anything but letters, digits, '-' and '_' replaced. */
function fileName(city: string): string {
  return `${city.replace(/[^\p{L}\p{N}_-]+/gu, '_') || 'city'}.png`;
}

const params = paramsShape(mlMethods['maximise.start'].params);

export const MAXIMISE_COMMAND: CommandSpec = {
  name: 'maximise',
  summary: "Images that maximise each city's score (gradient ascent from noise)",
  details:
    "Prints [{city, p, file}]: p is the model's probability of the city on the image. Gradient\nascent on the input from seeded noise, with jitter and blur so the result is not pure noise\n(paper section 6.3). Images are cached in the model's folder; --out copies them as CITY.png.\nWithout native TensorFlow a step takes 1-2 s at the default 160 px (two cores).",
  positionals: { min: 0, max: 0 },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to ask', required: true },
    city: paramOption(params.city, {
      value: 'NAME',
      description: 'only this city',
      none: 'every city',
    }),
    steps: paramOption(params.steps, { value: 'N', description: 'ascent steps' }),
    seed: paramOption(params.seed, { value: 'S', description: 'noise and jitter seed' }),
    size: paramOption(params.size, { value: 'PX', description: 'side of the image' }),
    out: { type: 'string', value: 'DIR', description: 'copy the PNGs into this folder' },
  },
  library: 'open',
  async run(ctx) {
    const result = await runCancellableJob(
      ctx,
      'maximise.start',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        ...defined({
          city: stringOption(ctx, 'city'),
          steps: numberOption(ctx, 'steps'),
          seed: numberOption(ctx, 'seed'),
          size: numberOption(ctx, 'size'),
        }),
      },
      { what: 'city images', label: 'maximise' },
    );
    const out = stringOption(ctx, 'out');
    const rows: { city: string; p: number; file: string }[] = [];
    if (out !== undefined) await mkdir(resolve(ctx.io.cwd, out), { recursive: true });
    for (const image of result.images) {
      let file = image.file;
      if (out !== undefined) {
        file = join(resolve(ctx.io.cwd, out), fileName(image.city));
        await copyFile(image.file, file);
      }
      rows.push({ city: image.city, p: image.probability, file });
    }
    ctx.output(rows, () =>
      [
        ...result.images.map((image, i) => line(image, basename(rows[i]?.file ?? image.file))),
        `${result.images.length} of ${result.classes.length} cities (${result.cached} cached).`,
      ].join('\n'),
    );
  },
};

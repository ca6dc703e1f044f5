import type {
  CityWithCount,
  LibraryStats,
  SplitSummary,
} from '../../shared/contract/library-types';
import type { CommandContext, CommandSpec } from './command';
import { plural, table } from './format';
import { importCommand } from './import-command';
import { libraryMethods } from '../../shared/contract/library-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

/** Options are passed to the contract as given; its schemas decide what is valid (exit 2 if not). */
const num = (ctx: CommandContext, name: string): number | undefined => {
  const value = ctx.options[name];
  return typeof value === 'number' ? value : undefined;
};
const str = (ctx: CommandContext, name: string): string | undefined => {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
};

const init: CommandSpec = {
  name: 'init',
  summary: 'Create a library (nothing to do if it exists)',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'create',
  async run(ctx) {
    const info = await ctx.client.call('library.info', {});
    ctx.output({ created: ctx.libraryCreated, ...info }, () =>
      ctx.libraryCreated
        ? `Created a library in ${info.dir}.`
        : `A library already exists in ${info.dir}; nothing to do.`,
    );
  },
};

function citiesTable(cities: readonly CityWithCount[]): string {
  if (cities.length === 0)
    return 'No cities yet. Add one with `littleplanet cities add NAME --lat DEG --lon DEG`.';
  return table(
    ['City', 'Country', 'Lat', 'Lon', 'Radius km', 'Labeled'],
    cities.map((c) => [
      c.name,
      c.country,
      c.lat.toFixed(4),
      c.lon.toFixed(4),
      c.radiusKm,
      c.labeled,
    ]),
  );
}

const citiesList: CommandSpec = {
  name: 'cities list',
  aliases: ['cities'],
  summary: 'List the cities with their labeled image counts',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const cities = await ctx.client.call('cities.list', {});
    ctx.output(cities, () => citiesTable(cities));
  },
};

const citiesAdd: CommandSpec = {
  name: 'cities add',
  args: 'NAME',
  summary: 'Add a city (photos with GPS within its radius get its label)',
  positionals: { min: 1, max: 1 },
  options: {
    lat: { type: 'number', value: 'DEG', description: 'latitude of the centre', required: true },
    lon: { type: 'number', value: 'DEG', description: 'longitude of the centre', required: true },
    country: { type: 'string', value: 'NAME', description: 'country, for display' },
    'radius-km': paramOption(paramsShape(libraryMethods['cities.add'].params).radiusKm, {
      value: 'KM',
      description: 'radius for GPS labels',
    }),
  },
  library: 'open',
  async run(ctx) {
    const city = await ctx.client.call('cities.add', {
      name: ctx.positionals[0] ?? '',
      lat: num(ctx, 'lat') ?? Number.NaN,
      lon: num(ctx, 'lon') ?? Number.NaN,
      country: str(ctx, 'country'),
      radiusKm: num(ctx, 'radius-km'),
    });
    ctx.output(city, () => {
      const country = city.country === '' ? '' : ` (${city.country})`;
      return `Added ${city.name}${country} at ${city.lat}, ${city.lon} with a ${city.radiusKm} km radius.`;
    });
  },
};

const citiesRemove: CommandSpec = {
  name: 'cities remove',
  args: 'NAME',
  summary: 'Remove a city and its labels (the images stay)',
  positionals: { min: 1, max: 1 },
  options: {},
  library: 'open',
  async run(ctx) {
    const result = await ctx.client.call('cities.remove', { name: ctx.positionals[0] ?? '' });
    ctx.output(
      result,
      () =>
        `Removed ${result.removed} and ${plural(result.labelsRemoved, 'label')}; the images stay in the library.`,
    );
  },
};

function splitText(summary: SplitSummary): string {
  const { config, counts } = summary;
  const total = counts.train + counts.val + counts.test;
  const lines = [
    `Split ${plural(total, 'labeled image')} (seed ${config.seed}; ${config.train}/${config.val}/${config.test}` +
      `${config.spatialKm === null ? '' : `; ${config.spatialKm} km spatial blocks, ${plural(summary.clusters ?? 0, 'cluster')}`}):`,
    `train ${counts.train}, val ${counts.val}, test ${counts.test}`,
  ];
  if (summary.perCity.length > 0) {
    lines.push(
      '',
      table(
        ['City', 'Train', 'Val', 'Test'],
        summary.perCity.map((c) => [c.city, c.train, c.val, c.test]),
      ),
    );
  }
  return lines.join('\n');
}

const splitParams = paramsShape(libraryMethods['split.assign'].params);

const split: CommandSpec = {
  name: 'split',
  summary: 'Assign seeded, city-stratified train/val/test splits',
  positionals: { min: 0, max: 0 },
  options: {
    train: paramOption(splitParams.train, { value: 'R', description: 'train share' }),
    val: paramOption(splitParams.val, { value: 'R', description: 'validation share' }),
    test: paramOption(splitParams.test, { value: 'R', description: 'test share' }),
    seed: paramOption(splitParams.seed, { value: 'N', description: 'random seed' }),
    'spatial-km': paramOption(splitParams.spatialKm, {
      value: 'K',
      description: 'keep photos within K km of each other in the same split',
    }),
  },
  library: 'open',
  async run(ctx) {
    const summary = await ctx.client.call('split.assign', {
      train: num(ctx, 'train'),
      val: num(ctx, 'val'),
      test: num(ctx, 'test'),
      seed: num(ctx, 'seed'),
      spatialKm: num(ctx, 'spatial-km'),
    });
    ctx.output(summary, () => splitText(summary));
  },
};

function statsText(stats: LibraryStats): string {
  const s = stats.splits;
  const lines = [
    `Images: ${stats.images} (${stats.labeled} labeled, ${stats.unlabeled} unlabeled)`,
    `Splits: train ${s.train}, val ${s.val}, test ${s.test}, unassigned ${s.unassigned}`,
  ];
  if (stats.perCity.length > 0) {
    lines.push(
      '',
      table(
        ['City', 'Labeled', 'Train', 'Val', 'Test'],
        stats.perCity.map((c) => [c.city, c.total, c.train, c.val, c.test]),
      ),
    );
  }
  return lines.join('\n');
}

const stats: CommandSpec = {
  name: 'stats',
  summary: 'Image, label and split counts, per city',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const result = await ctx.client.call('library.stats', {});
    ctx.output(result, () => statsText(result));
  },
};

export const LIBRARY_COMMANDS: readonly CommandSpec[] = [
  init,
  importCommand,
  citiesList,
  citiesAdd,
  citiesRemove,
  split,
  stats,
];

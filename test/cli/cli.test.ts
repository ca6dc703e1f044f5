import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { City } from '../../src/shared/contract/library-types';
import { runCli, writePhotoFolders } from './run-cli';

/** stdout must be exactly one JSON document (nothing else on it) with --json. */
function parseOnlyJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

function assertInteger(value: unknown, name: string): asserts value is number {
  assert.ok(Number.isInteger(value), `${name} should be an integer, got ${String(value)}`);
}

describe('littleplanet CLI (end to end, real library and JPEGs)', () => {
  let root: string;
  let photos: string;
  let library: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-cli-'));
    photos = await writePhotoFolders(root);
    library = join(root, 'library');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('init creates a library; a second init is a no-op success', async () => {
    const first = await runCli(['--library', library, 'init', '--json'], root);
    assert.equal(first.code, 0, first.stderr);
    const created = parseOnlyJson(first.stdout);
    assert.equal(created.created, true);
    assert.equal(created.dir, library);

    const again = await runCli(['init', '--library', library], root);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already exists/);
  });

  test('import --json: only JSON on stdout, integer counts, skipped files listed, exit 0', async () => {
    const result = await runCli(['--library', library, 'import', 'photos', '--json'], root);
    assert.equal(result.code, 0, result.stderr);
    const report = parseOnlyJson(result.stdout);
    for (const field of ['imported', 'duplicates', 'skipped']) assertInteger(report[field], field);
    assert.equal(report.imported, 5);
    assert.equal(report.duplicates, 1);
    assert.equal(report.skipped, 1);
    const errors = report.errors as { path: string; reason: string }[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.path, join(photos, 'broken.jpg'));
    assert.equal(typeof errors[0]?.reason, 'string');
    // Not a terminal: sparse progress lines on stderr.
    assert.match(result.stderr, /^import: \d+\/\d+ \(\d+%\)$/m);
  });

  test('stats --json counts images and labels per city (folder names)', async () => {
    const result = await runCli(['stats', '--json'], root, { LITTLEPLANET_LIBRARY: library });
    assert.equal(result.code, 0, result.stderr);
    const stats = parseOnlyJson(result.stdout);
    assert.equal(stats.images, 5);
    assert.equal(stats.labeled, 5);
    const cities = stats.cities as Record<string, number>;
    assert.equal(cities.Paris, 3);
    assert.equal(cities.Detroit, 2);
    assert.equal(
      Object.values(cities).reduce((a, b) => a + b, 0),
      5,
      'no other city has labeled images',
    );

    const human = await runCli(['--library', library, 'stats'], root);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /Images: 5 \(5 labeled, 0 unlabeled\)/);
    assert.match(human.stdout, /^Paris\s+3\s+/m);
  });

  test('split assigns every labeled image, reproducibly for a seed', async () => {
    const args = ['--library', library, 'split', '--train', '0.6', '--val', '0.2', '--test', '0.2'];
    const first = await runCli([...args, '--seed', '7', '--json'], root);
    assert.equal(first.code, 0, first.stderr);
    const summary = parseOnlyJson(first.stdout) as {
      config: { seed: number; train: number };
      counts: { train: number; val: number; test: number };
    };
    assert.equal(summary.config.seed, 7);
    assert.equal(summary.config.train, 0.6);
    assert.equal(summary.counts.train + summary.counts.val + summary.counts.test, 5);
    const second = await runCli([...args, '--seed', '7', '--json'], root);
    assert.deepEqual(parseOnlyJson(second.stdout).counts, summary.counts);
  });

  test('cities add / list / remove', async () => {
    const added = await runCli(
      [
        '--library',
        library,
        'cities',
        'add',
        'Arezzo',
        '--lat',
        '43.4633',
        '--lon',
        '11.8796',
      ].concat(['--country', 'Italy', '--radius-km', '10', '--json']),
      root,
    );
    assert.equal(added.code, 0, added.stderr);
    const city = parseOnlyJson(added.stdout) as City;
    assert.deepEqual(
      {
        name: city.name,
        country: city.country,
        lat: city.lat,
        lon: city.lon,
        radiusKm: city.radiusKm,
      },
      { name: 'Arezzo', country: 'Italy', lat: 43.4633, lon: 11.8796, radiusKm: 10 },
    );

    const negative = await runCli(
      ['--library', library, 'cities', 'add', 'Lima', '--lat', '-12.0464', '--lon=-77.0428'],
      root,
    );
    assert.equal(negative.code, 0, negative.stderr);
    assert.match(negative.stdout, /Added Lima at -12\.0464, -77\.0428/);

    const listed = await runCli(['--library', library, 'cities', '--json'], root);
    const names = (JSON.parse(listed.stdout) as { name: string; labeled: number }[]).map(
      (c) => c.name,
    );
    assert.ok(names.includes('Arezzo') && names.includes('Lima') && names.includes('Paris'));

    const removed = await runCli(
      ['--library', library, 'cities', 'remove', 'Paris', '--json'],
      root,
    );
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(parseOnlyJson(removed.stdout), { removed: 'Paris', labelsRemoved: 3 });
    const stats = await runCli(['--library', library, 'stats', '--json'], root);
    const after = parseOnlyJson(stats.stdout);
    assert.equal(after.images, 5);
    assert.equal(after.labeled, 2);
  });

  test('import creates the library it is pointed at', async () => {
    const fresh = join(root, 'fresh');
    const result = await runCli(
      ['--library', fresh, 'import', join(photos, 'Detroit'), '--json'],
      root,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseOnlyJson(result.stdout).imported, 2);
  });

  test('exit code 2 for bad arguments, with the reason on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['stats', '--frob'], /Unknown option --frob for stats/],
      [['cities', 'add', 'X', '--lat'], /--lat needs a value/],
      [
        ['cities', 'add', 'X', '--lat', 'north', '--lon', '1'],
        /--lat expects a number, not "north"/,
      ],
      [['cities', 'add', 'X', '--lon', '1'], /cities add needs --lat/],
      [['split', '--seed', '1.5'], /--seed expects a whole number/],
      // Rejected by the contract's schema (BAD_ARGUMENT), not by the parser.
      [['split', '--train', '0.5'], /train \+ val \+ test must add up to 1/],
      [
        ['cities', 'add', 'X', '--lat', '91', '--lon', '0'],
        /lat: Number must be less than or equal to 90/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['--library', library, ...args], root);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    const noLibrary = await runCli(['stats'], root);
    assert.equal(noLibrary.code, 2);
    assert.match(noLibrary.stderr, /needs a library: give --library DIR/);
  });

  test('exit code 1 for failures; --json reports the error as JSON on stdout', async () => {
    const missing = join(root, 'nowhere');
    const notFound = await runCli(['--library', missing, 'stats'], root);
    assert.equal(notFound.code, 1);
    assert.match(
      notFound.stderr,
      new RegExp(`There is no library in ${missing}\\. Create one with`),
    );

    const unknownCity = await runCli(
      ['--library', library, '--json', 'cities', 'remove', 'Atlantis'],
      root,
    );
    assert.equal(unknownCity.code, 1);
    const body = parseOnlyJson(unknownCity.stdout) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /Atlantis/);
  });

  test('--help and --version print to stdout and exit 0', async () => {
    const help = await runCli(['--help'], root);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: littleplanet/);
    assert.match(help.stdout, /cities add NAME/);
    const commandHelp = await runCli(['split', '--help'], root);
    assert.match(commandHelp.stdout, /--spatial-km K/);
    const version = await runCli(['--version'], root);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });
});

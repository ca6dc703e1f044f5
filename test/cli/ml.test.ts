// The ML commands end to end: the real CLI process on a small library of three visually distinct
// "cities" (variants of the shared sanity photos), the shared MobileNetV2, real training.
import assert from 'node:assert/strict';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { sidecar } from 'exifr';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { PAPER_CITIES } from '../../src/shared/domain/cities';
import { haversineKm } from '../../src/shared/domain/geo';
import { mulberry32 } from '../../src/shared/domain/random';
import {
  MOBILENET_V2_SHA256,
  SHARED_MISSING,
  sharedFixtures,
  type SharedFixtures,
} from '../helpers/shared-fixtures';
import { runCli, spawnCli, type CliResult } from './run-cli';

const shared = sharedFixtures();
/** Sanity photo → the city it stands for. */
const CITIES = { 'cat_720p.jpg': 'Paris', 'hot_dog.jpg': 'London', 'parrot.jpg': 'Sydney' };
const VARIANTS = 10;

/** VARIANTS crops / mirrors / colour shifts of each sanity photo, in a folder per city. */
async function writeCityPhotos(fixtures: SharedFixtures, dir: string): Promise<void> {
  const rnd = mulberry32(7);
  for (const [file, city] of Object.entries(CITIES)) {
    const source = join(fixtures.sanityDir, file);
    const { width = 0, height = 0 } = await sharp(source).metadata();
    mkdirSync(join(dir, city), { recursive: true });
    for (let v = 0; v < VARIANTS; v++) {
      const share = 0.6 + 0.35 * rnd();
      const w = Math.round(width * share);
      const h = Math.round(height * share);
      let image = sharp(source).extract({
        left: Math.floor(rnd() * (width - w)),
        top: Math.floor(rnd() * (height - h)),
        width: w,
        height: h,
      });
      if (v % 2 === 1) image = image.flop();
      await image
        .modulate({
          brightness: 0.8 + 0.4 * rnd(),
          saturation: 0.7 + 0.6 * rnd(),
          hue: Math.round(30 * rnd() - 15),
        })
        .resize(320)
        .jpeg({ quality: 85 })
        .toFile(join(dir, city, `${v}.jpg`));
    }
  }
}

type Json = Record<string, unknown>;

function json<T = Json>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

void describe(
  'ML commands (end to end)',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    let root = '';
    let library = '';
    let modelId = '';
    /** The CLI's answers to `features` and `train`, run once for every test below. */
    let features: CliResult;
    let training: CliResult;
    const cli = (...args: string[]): Promise<CliResult> =>
      runCli(['--library', library, ...args], root);

    before(async () => {
      if (shared === null) return;
      root = mkdtempSync(join(tmpdir(), 'lp-cli-ml-'));
      library = join(root, 'library');
      await writeCityPhotos(shared, join(root, 'photos'));
      assert.equal(json(await cli('import', 'photos', '--json')).imported, 3 * VARIANTS);
      json(await cli('split', '--train', '0.6', '--val', '0.2', '--test', '0.2', '--json'));
      json(await cli('backbone', 'import', shared.mobilenetV2Tflite, '--name', 'mnv2', '--json'));
      features = await cli('features', '--backbone', 'mnv2', '--views', '2', '--json');
      training = await cli(
        'train',
        '--backbone',
        'mnv2',
        '--views',
        '2',
        '--seed',
        '3',
        '--epochs',
        '20',
        '--batch-size',
        '8',
        '--name',
        'sanity cities',
        '--json',
      );
      modelId = json<{ model: string }>(training).model;
    });
    after(() => {
      if (root !== '') rmSync(root, { recursive: true, force: true });
    });

    test('backbone list shows the imported MobileNetV2', async () => {
      const list = json<{ name: string; featureDim: number; inputSize: number }[]>(
        await cli('backbone', 'list', '--json'),
      );
      const mnv2 = list.find((b) => b.name === 'mnv2');
      assert.deepEqual(
        { featureDim: mnv2?.featureDim, inputSize: mnv2?.inputSize },
        { featureDim: 1280, inputSize: 224 },
      );
    });

    test('backbone download checks the sha256, shows progress; backbone remove', async () => {
      const file = shared?.mobilenetV2Tflite ?? '';
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-length': statSync(file).size });
        createReadStream(file).pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m.tflite`;
      try {
        const download = (sha256: string) =>
          cli(
            'backbone',
            'download',
            '--name',
            'fetched',
            '--url',
            url,
            '--sha256',
            sha256,
            '--json',
          );
        const wrong = await download('0'.repeat(64));
        assert.equal(wrong.code, 1, wrong.stderr);
        assert.match(wrong.stderr, /sha256/i);
        const ok = await download(MOBILENET_V2_SHA256);
        assert.match(ok.stderr, /^download: \d+\/3610798 \(100%\)$/m);
        const right = json<{ name: string; sha256: string }>(ok);
        assert.deepEqual(right, { ...right, name: 'fetched', sha256: MOBILENET_V2_SHA256 });
      } finally {
        server.close();
      }
      json(await cli('backbone', 'remove', 'fetched', '--json'));
      const names = json<{ name: string }[]>(await cli('backbone', 'list', '--json')).map(
        (b) => b.name,
      );
      assert.deepEqual(names, ['mnv2']);
    });

    test('features caches every labeled image', () => {
      const result = json(features);
      assert.equal(result.images, 3 * VARIANTS);
      assert.equal(result.views, 2);
      assert.ok((result.computed as number) > 0);
    });

    test('train --json: a model id and a validation accuracy well above chance', () => {
      const result = training;
      const trained = json<{
        model: unknown;
        valAccuracy: unknown;
        jobId: unknown;
        summaries: unknown[];
      }>(result);
      assert.equal(typeof trained.model, 'string');
      assert.equal(typeof trained.jobId, 'string');
      assert.match(result.stderr, new RegExp(`Training job ${String(trained.jobId)} started`));
      assert.equal(typeof trained.valAccuracy, 'number');
      const acc = trained.valAccuracy as number;
      assert.ok(acc >= 0 && acc <= 1, `valAccuracy ${acc} in [0, 1]`);
      assert.ok(acc >= 0.8, `valAccuracy ${acc} should be well above chance (1/3)`);
      assert.equal(trained.summaries.length, 1);
      // Live epoch lines on stderr, never on stdout.
      assert.match(result.stderr, /stage 1 {2}epoch +1\/20 {2}loss \d/);
    });

    test('evaluate --json: accuracy, per-city accuracy and a confusion matrix of the test split', async () => {
      const evaluation = json<{
        accuracy: unknown;
        perCity: Record<string, unknown>;
        confusion: { labels: string[]; matrix: number[][] };
      }>(await cli('evaluate', '--model', modelId, '--json'));
      const stats = json<{ perCity: { city: string; test: number }[] }>(
        await cli('stats', '--json'),
      );
      const testCount = (city: string): number =>
        stats.perCity.find((c) => c.city === city)?.test ?? 0;

      assert.equal(typeof evaluation.accuracy, 'number');
      const { labels, matrix } = evaluation.confusion;
      for (const city of Object.values(CITIES)) assert.ok(labels.includes(city), city);
      assert.deepEqual(Object.keys(evaluation.perCity).sort(), [...labels].sort());
      assert.equal(matrix.length, labels.length);
      matrix.forEach((row, i) => {
        assert.equal(row.length, labels.length, 'square');
        const city = labels[i] as string;
        assert.equal(
          row.reduce((a, b) => a + b, 0),
          testCount(city),
          `row sum of ${city}`,
        );
      });
      for (const city of Object.values(CITIES)) {
        const p = evaluation.perCity[city];
        assert.ok(typeof p === 'number' && p >= 0 && p <= 1, `${city}: ${String(p)}`);
      }
      // Each error's distance (centre to centre, the preloaded cities) and score; right answers 5000.
      const geo = evaluation as unknown as {
        n: number;
        meanScore: number;
        meanDistanceKm: number;
        errors: { true: string; predicted: string; km: number; score: number }[];
        geoOrder: { longitude: string[]; tour: string[] };
      };
      const centre = (name: string) => PAPER_CITIES.find((c) => c.name === name)!;
      const wrong = matrix.reduce(
        (a, row, i) => a + row.reduce((b, v, j) => b + (i === j ? 0 : v), 0),
        0,
      );
      assert.equal(geo.errors.length, wrong);
      for (const e of geo.errors) {
        assert.ok(Math.abs(e.km - haversineKm(centre(e.true), centre(e.predicted))) < 1e-6);
        assert.ok(Math.abs(e.score - 5000 * Math.exp(-e.km / 1492.7)) < 1e-6);
      }
      const scoreSum = 5000 * (geo.n - wrong) + geo.errors.reduce((a, e) => a + e.score, 0);
      assert.ok(Math.abs(geo.meanScore - scoreSum / geo.n) < 1e-6);
      const kmSum = geo.errors.reduce((a, e) => a + e.km, 0);
      assert.ok(Math.abs(geo.meanDistanceKm - kmSum / geo.n) < 1e-6);
      assert.deepEqual(geo.geoOrder.longitude, ['London', 'Paris', 'Sydney']);
      assert.deepEqual(geo.geoOrder.tour, ['London', 'Paris', 'Sydney']);

      const human = await cli('evaluate', '--model', modelId, '--split', 'val');
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^City +Correct +Images +Accuracy +95% CI +Chance/m);
      assert.match(human.stdout, /^Confusion matrix \(rows: true city, columns: predicted\):$/m);
      assert.match(human.stdout, /^GeoGuessr-style score \d+ of 5000 per photo/m);
    });

    test('predict --json: top cities with probabilities summing to 1; unreadable paths reported', async () => {
      const parrot = join(shared?.sanityDir ?? '', 'parrot.jpg');
      const missing = join(root, 'missing.jpg');
      const result = await cli('predict', '--model', modelId, parrot, missing, '--json');
      const entries =
        json<{ path: string; top?: { city: string; p: number }[]; error?: string }[]>(result);
      assert.equal(entries.length, 2);
      const [ok, bad] = entries;
      assert.equal(ok?.path, parrot);
      assert.equal(ok?.top?.length, 3);
      assert.equal(ok?.top?.[0]?.city, 'Sydney');
      const sum = (ok?.top ?? []).reduce((s, t) => s + t.p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
      assert.deepEqual(Object.keys(bad ?? {}).sort(), ['error', 'path']);
      assert.equal(bad?.path, missing);
      assert.match(result.stderr, /cannot predict .*missing\.jpg/);

      const none = await cli('predict', '--model', modelId, missing, '--json');
      assert.equal(none.code, 1, none.stderr);
    });

    test('explain --json: a grid of evidence over the photo; --png writes the overlay', async () => {
      const parrot = join(shared?.sanityDir ?? '', 'parrot.jpg');
      const png = join(root, 'parrot-occlusion.png');
      const result = await cli(
        'explain',
        '--model',
        modelId,
        '--method',
        'occlusion',
        '--city',
        'Sydney',
        '--box',
        '56',
        '--stride',
        '56',
        '--png',
        png,
        parrot,
        '--json',
      );
      const map = json<{
        method: string;
        city: string;
        rows: number;
        cols: number;
        values: number[][];
      }>(result);
      assert.deepEqual([map.method, map.city, map.rows, map.cols], ['occlusion', 'Sydney', 4, 4]);
      assert.equal(map.values.length, 4);
      assert.ok(map.values.every((row) => row.length === 4 && row.every(Number.isFinite)));
      const picture = await sharp(png).metadata();
      assert.deepEqual([picture.format, picture.width, picture.height], ['png', 448, 448]);
      const cam = json<{ method: string; city: string; rows: number }>(
        await cli('explain', '--model', modelId, '--method', 'gradcam', parrot, '--json'),
      );
      assert.deepEqual([cam.method, cam.city, cam.rows], ['gradcam', 'Sydney', 7]);
      const bad = await cli('explain', '--model', modelId, '--method', 'magic', parrot, '--json');
      assert.equal(bad.code, 2, bad.stderr);
      const unknownCity = await cli('explain', '--model', modelId, '--city', 'Atlantis', parrot);
      assert.equal(unknownCity.code, 2, 'a city the model does not know is a bad argument');
      assert.match(unknownCity.stderr, /does not know the city 'Atlantis'/);
    });

    test('embed --json: seeded points with their cities, the same map for the same seed', async () => {
      const args = [
        'embed',
        '--model',
        modelId,
        '--method',
        'tsne',
        '--sample',
        '12',
        '--seed',
        '3',
        '--json',
      ];
      const first = json<{
        cached: boolean;
        points: { imageId: number; x: number; y: number; city: string }[];
      }>(await cli(...args));
      assert.equal(first.points.length, 12);
      assert.ok(
        first.points.every(
          (p) => Number.isFinite(p.x) && ['Paris', 'London', 'Sydney'].includes(p.city),
        ),
      );
      const second = json<{ cached: boolean; points: unknown[] }>(await cli(...args));
      assert.equal(second.cached, true);
      assert.deepEqual(second.points, first.points);
      assert.equal((await cli('embed', '--model', modelId, '--method', 'pca')).code, 2);
    });

    test('geolocate --xmp --csv --geojson: sidecars exifr reads back, originals untouched', async () => {
      const dir = join(root, 'untagged');
      mkdirSync(dir, { recursive: true });
      const photo = join(dir, 'holiday-parrot.jpg');
      await sharp(join(shared?.sanityDir ?? '', 'parrot.jpg'))
        .resize(320)
        .jpeg()
        .toFile(photo);
      const other = join(dir, 'kept.jpg');
      await sharp(join(shared?.sanityDir ?? '', 'parrot.jpg'))
        .resize(300)
        .jpeg()
        .toFile(other);
      // Someone else's sidecar beside the second photo: never replaced.
      writeFileSync(join(dir, 'kept.xmp'), '<x:xmpmeta>darktable</x:xmpmeta>');
      const before = [readFileSync(photo), readFileSync(other)];
      const csv = join(root, 'geo.csv');
      const geojson = join(root, 'geo.geojson');
      const result = await cli(
        'geolocate',
        '--model',
        modelId,
        photo,
        other,
        '--xmp',
        '--csv',
        csv,
        '--geojson',
        geojson,
        '--json',
      );
      const rows =
        json<
          { path: string; city: string; p: number; lat: number; lon: number; xmp?: string | null }[]
        >(result);
      assert.deepEqual(
        rows.map((r) => [r.path, r.city]),
        [
          [photo, 'Sydney'],
          [other, 'Sydney'],
        ],
      );
      // Sydney's centre from the library's cities (the paper's ten, preloaded).
      assert.ok(Math.abs(rows[0]!.lat + 33.87) < 0.05 && Math.abs(rows[0]!.lon - 151.21) < 0.05);
      assert.equal(rows[0]!.xmp, join(dir, 'holiday-parrot.xmp'));
      assert.equal(rows[1]!.xmp, null);
      assert.match(result.stderr, /no sidecar for .*kept\.jpg: a sidecar by another program/);
      const xmp = (await sidecar(join(dir, 'holiday-parrot.xmp'))) as {
        photoshop?: { City?: string; Country?: string };
        exif?: { GPSLatitude?: string };
        lp?: { Confidence?: number; Model?: string };
      };
      assert.equal(xmp.photoshop?.City, 'Sydney');
      assert.equal(xmp.photoshop?.Country, 'Australia');
      assert.match(xmp.exif?.GPSLatitude ?? '', /^33,5\d\.\d{4}S$/);
      assert.ok(Math.abs((xmp.lp?.Confidence ?? 0) - rows[0]!.p) < 1e-4);
      assert.equal(xmp.lp?.Model, modelId);
      assert.equal(readFileSync(join(dir, 'kept.xmp'), 'utf8'), '<x:xmpmeta>darktable</x:xmpmeta>');
      assert.ok(readFileSync(photo).equals(before[0]!) && readFileSync(other).equals(before[1]!));
      const csvLines = readFileSync(csv, 'utf8').trim().split('\n');
      assert.equal(csvLines[0], 'path,city,country,probability,lat,lon,model,review,forced_choice');
      assert.equal(csvLines.length, 3);
      const features = (
        JSON.parse(readFileSync(geojson, 'utf8')) as {
          features: { geometry: { coordinates: number[] } }[];
        }
      ).features;
      assert.deepEqual(features[0]?.geometry.coordinates, [rows[0]!.lon, rows[0]!.lat]);
      // Run again: our own sidecar is replaced in place; the photo is not imported twice.
      const images = async (): Promise<number> =>
        json<{ images: number }>(await cli('stats', '--json')).images;
      const count = await images();
      const again = json<{ xmp?: string | null }[]>(
        await cli('geolocate', '--model', modelId, photo, '--xmp', '--json'),
      );
      assert.equal(again[0]?.xmp, join(dir, 'holiday-parrot.xmp'));
      assert.equal(await images(), count, 'already in the library');
    });

    test('models, runs and ml info list what was made', async () => {
      const models = json<{ id: string; classes: string[] }[]>(
        await cli('models', 'list', '--json'),
      );
      assert.deepEqual(
        models
          .find((m) => m.id === modelId)
          ?.classes.filter((c) => Object.values(CITIES).includes(c))
          .sort(),
        ['London', 'Paris', 'Sydney'],
      );
      const runs = json<{ modelId: string | null; epochs: unknown[] }[]>(
        await cli('runs', '--json'),
      );
      assert.ok(runs.some((r) => r.modelId === modelId && r.epochs.length > 0));
      const info = json<{ backend: { name: string; reason: string } }>(
        await cli('ml', 'info', '--json'),
      );
      assert.equal(typeof info.backend.name, 'string');
      assert.ok(info.backend.reason.length > 0);

      const file = join(root, 'model.lpmodel');
      const exported = json<{ bytes: number }>(
        await cli('models', 'export', modelId, file, '--json'),
      );
      assert.ok(exported.bytes > 0);
      const imported = json<{ id: string }>(await cli('models', 'import', file, '--json'));
      assert.notEqual(imported.id, modelId);
    });

    test('Ctrl-C cancels the running job: exit 1, CANCELLED', async () => {
      // Six more views per training image: a job that runs for seconds.
      const args = [
        '--library',
        library,
        'features',
        '--backbone',
        'mnv2',
        '--views',
        '8',
        '--json',
      ];
      const child = spawnCli(args, root);
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (
          /^features: [1-9]\d*\/\d+/m.test(stderr) &&
          child.signalCode === null &&
          !child.killed
        ) {
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 1, stderr);
      assert.match(
        stderr,
        /Cancelling the feature extraction… \(press Ctrl-C again to quit at once\)/,
      );
      assert.equal((JSON.parse(stdout) as { error: { code: string } }).error.code, 'CANCELLED');
    });

    test('exit 2 for bad arguments, 1 for an unknown model', async () => {
      const bad: [string[], RegExp][] = [
        [['train', '--epochs', 'many'], /--epochs expects a whole number/],
        [['train', '--optimizer', 'rmsprop'], /--optimizer must be one of sgd, adam/],
        [['train', '--epochs', '0'], /epochs/],
        [['evaluate', '--model', modelId, '--tta', 'sideways'], /--tta must be one of/],
        [['evaluate', '--model', modelId, 'stray'], /only after --external/],
        [['predict', 'photo.jpg'], /predict needs --model/],
        [
          ['backbone', 'download', '--name', 'x', '--url', 'https://a.example/m.tflite'],
          /--sha256/,
        ],
      ];
      for (const [args, message] of bad) {
        const result = await cli(...args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message);
      }
      const unknown = await cli('evaluate', '--model', 'no-such-model', '--json');
      assert.equal(unknown.code, 1, unknown.stderr);
      assert.equal(
        (JSON.parse(unknown.stdout) as { error: { code: string } }).error.code,
        'NOT_FOUND',
      );
    });
  },
);

// The Explain view's pure logic (no DOM, no browser): the colour ramp, the grid → overlay pixels
// with bilinear sampling over the centre crop, the legend's words, the feature map's traces, the
// target city and the export file name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heatColour, HOT_STOPS, rampPixels } from '../../src/shared/domain/heatmap/colour-ramp';
import { imageIdParam } from '../../src/renderer/features/explain/explain-params';
import {
  cropRect,
  gridAxis,
  gridPosition,
  heatPixels,
  sampleBilinear,
  scaled,
  scaleRange,
  type HeatGrid,
} from '../../src/shared/domain/heatmap/heat-pixels';
import { legendText } from '../../src/renderer/features/explain/legend';
import {
  accuracyOf,
  cityColour,
  imageIdsOf,
  scatterTraces,
} from '../../src/renderer/features/explain/scatter-data';
import { exportFileName, targetCity, topCities } from '../../src/renderer/features/explain/targets';
import { answerTo } from '../../src/renderer/features/explain/use-explain';
import type { EmbedPoint } from '../../src/shared/contract/ml-types';

const near = (a: number, b: number, eps = 1e-9): void =>
  assert.ok(Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

void describe('colour ramp', () => {
  void it('runs from transparent to an opaque pale yellow, alpha never falling', () => {
    assert.equal(heatColour(0)[3], 0, 'no evidence: the photo shows through');
    assert.deepEqual(heatColour(1), HOT_STOPS[HOT_STOPS.length - 1]!.rgba);
    let last = -1;
    for (let t = 0; t <= 1; t += 0.05) {
      const a = heatColour(t)[3];
      assert.ok(a >= last, `alpha rises at ${t}`);
      last = a;
    }
    assert.ok(heatColour(1)[3] > 200);
  });

  void it('clamps out-of-range values and treats NaN as transparent', () => {
    assert.deepEqual(heatColour(-3), heatColour(0));
    assert.deepEqual(heatColour(7), heatColour(1));
    assert.deepEqual(heatColour(Number.NaN), [0, 0, 0, 0]);
  });

  void it('interpolates between stops', () => {
    const mid = heatColour((HOT_STOPS[1]!.at + HOT_STOPS[2]!.at) / 2);
    for (let k = 0; k < 4; k += 1) {
      const lo = HOT_STOPS[1]!.rgba[k]!;
      const hi = HOT_STOPS[2]!.rgba[k]!;
      assert.ok(Math.abs(mid[k]! - (lo + hi) / 2) <= 0.5 + 1e-9);
    }
  });

  void it('draws the legend strip left (0) to right (1)', () => {
    const px = rampPixels(5, 2);
    assert.equal(px.length, 5 * 2 * 4);
    assert.deepEqual([...px.slice(0, 4)], [...heatColour(0)]);
    assert.deepEqual([...px.slice(16, 20)], [...heatColour(1)]);
    assert.deepEqual([...px.slice(20, 24)], [...heatColour(0)], 'second row repeats the first');
  });
});

void describe('grid → overlay pixels', () => {
  void it('places occlusion squares at their centres and Grad-CAM cells evenly', () => {
    // The paper's occluder: 32 px every 16 px over 224 → 13 positions, centres 16, 32, …, 208.
    const occ = gridAxis(13, 224, 32, 16);
    assert.deepEqual(occ, { first: 16, step: 16, n: 13 });
    assert.equal(gridPosition(occ, 16), 0);
    assert.equal(gridPosition(occ, 208), 12);
    assert.equal(gridPosition(occ, 24), 0.5);
    assert.equal(gridPosition(occ, 2), 0, 'clamped before the first centre');
    assert.equal(gridPosition(occ, 223), 12, 'clamped after the last');
    const cam = gridAxis(7, 224, null, null);
    assert.deepEqual(cam, { first: 16, step: 32, n: 7 });
    assert.equal(gridPosition(gridAxis(1, 224, null, null), 100), 0);
  });

  void it('samples bilinearly between cell values', () => {
    const values = [
      [0, 1],
      [2, 3],
    ];
    assert.equal(sampleBilinear(values, 0, 0), 0);
    assert.equal(sampleBilinear(values, 1, 1), 3);
    near(sampleBilinear(values, 0, 0.5), 0.5);
    near(sampleBilinear(values, 0.5, 0), 1);
    near(sampleBilinear(values, 0.5, 0.5), 1.5);
    near(sampleBilinear([[4]], 0, 0), 4, 0);
  });

  void it('scales occlusion and Grad-CAM from 0, inclusion over its own range', () => {
    const values = [
      [-0.1, 0.2],
      [0.4, 0.1],
    ];
    assert.deepEqual(scaleRange('occlusion', values), { lo: 0, hi: 0.4 });
    assert.deepEqual(scaleRange('gradcam', values), { lo: 0, hi: 0.4 });
    assert.deepEqual(scaleRange('inclusion', values), { lo: -0.1, hi: 0.4 });
    assert.deepEqual(scaleRange('occlusion', [[-0.2]]), { lo: 0, hi: 0 }, 'no drop anywhere');
    assert.equal(scaled(0.2, { lo: 0, hi: 0.4 }), 0.5);
    assert.equal(scaled(5, { lo: 1, hi: 1 }), 0, 'an empty range shows nothing');
  });

  void it('colours the pixels of a grid, hot where the value is high, smooth in between', () => {
    // A 2x2 Grad-CAM-like grid: only the bottom-right cell has evidence.
    const grid: HeatGrid = {
      rows: 2,
      cols: 2,
      values: [
        [0, 0],
        [0, 1],
      ],
      inputSize: 224,
      box: null,
      stride: null,
    };
    const size = 8;
    const px = heatPixels(grid, { lo: 0, hi: 1 }, size, 1);
    assert.equal(px.length, size * size * 4);
    const alpha = (x: number, y: number): number => px[(y * size + x) * 4 + 3]!;
    assert.equal(alpha(0, 0), 0, 'top-left: no evidence, transparent');
    assert.equal(alpha(7, 7), heatColour(1)[3], 'bottom-right: the hottest colour');
    // Smooth: alpha rises monotonically along the diagonal, with values strictly in between.
    const diagonal = Array.from({ length: size }, (_, i) => alpha(i, i));
    for (let i = 1; i < size; i += 1) assert.ok(diagonal[i]! >= diagonal[i - 1]!);
    assert.ok(
      diagonal.some((a) => a > 0 && a < heatColour(1)[3]),
      'blended, not blocky',
    );
    const half = heatPixels(grid, { lo: 0, hi: 1 }, size, 0.5);
    assert.equal(half[(7 * size + 7) * 4 + 3], Math.round(heatColour(1)[3] * 0.5), 'opacity');
    assert.equal(heatPixels({ ...grid, rows: 0 }, { lo: 0, hi: 1 }, size, 1).length, 256);
  });

  void it('puts row 0 at the top', () => {
    const grid: HeatGrid = {
      rows: 2,
      cols: 1,
      values: [[1], [0]],
      inputSize: 224,
      box: null,
      stride: null,
    };
    const px = heatPixels(grid, { lo: 0, hi: 1 }, 4, 1);
    assert.ok(px[3]! > px[3 * 4 * 4 + 3]!, 'the top row is hotter');
  });

  void it('finds the centre crop in the displayed norm image', () => {
    assert.deepEqual(cropRect(256, 224), { offset: 16, size: 224 });
    assert.deepEqual(cropRect(512, 224), { offset: 32, size: 448 });
    assert.deepEqual(cropRect(384, 224), { offset: 24, size: 336 });
  });
});

void describe('legend', () => {
  const range = { lo: 0.01, hi: 0.3 };
  void it('says what the value means for each method', () => {
    const occ = legendText('occlusion', 'Paris', range, 32);
    assert.equal(occ.title, 'Drop in P(Paris)');
    assert.equal(occ.low, '1.0%');
    assert.equal(occ.high, '30.0%');
    assert.match(occ.meaning, /32-pixel square of grey hides/);
    const inc = legendText('inclusion', 'Paris', range, 32);
    assert.equal(inc.title, 'P(Paris) with only this square shown');
    assert.match(inc.meaning, /only a 32-pixel square/);
    const cam = legendText('gradcam', 'Paris', range, null);
    assert.equal(cam.title, 'Relative evidence for Paris');
    assert.deepEqual([cam.low, cam.high], ['0', '1 (strongest)']);
    assert.equal(legendText('gradcam', 'Paris', { lo: 0, hi: 0 }, null).high, '0 (none)');
  });
});

const point = (imageId: number, city: string, predicted: string, x = imageId): EmbedPoint => ({
  imageId,
  x,
  y: -x,
  city,
  predicted,
  probability: 0.8,
});
const CLASSES = ['London', 'Paris', 'Sydney'];
const POINTS = [
  point(1, 'London', 'London'),
  point(2, 'Paris', 'London'),
  point(3, 'Paris', 'Paris'),
  point(4, 'London', 'London'),
];

void describe('feature map traces', () => {
  void it('groups by true city in class order, leaving empty cities out', () => {
    const traces = scatterTraces(POINTS, CLASSES, 'truth');
    assert.deepEqual(
      traces.map((t) => [t.name, t.customdata]),
      [
        ['London', [1, 4]],
        ['Paris', [2, 3]],
      ],
    );
    assert.deepEqual(traces[0]!.x, [1, 4]);
    assert.deepEqual(traces[0]!.y, [-1, -4]);
    assert.equal(traces[0]!.marker?.color, cityColour(CLASSES, 'London'));
    assert.notEqual(cityColour(CLASSES, 'London'), cityColour(CLASSES, 'Paris'));
    assert.match(traces[1]!.text![0]!, /^Paris · predicted London \(80\.0%\) ✗$/);
  });

  void it('groups by predicted city, keeping each city its colour', () => {
    const traces = scatterTraces(POINTS, CLASSES, 'predicted');
    assert.deepEqual(
      traces.map((t) => [t.name, t.customdata, t.marker?.color]),
      [
        ['London', [1, 2, 4], cityColour(CLASSES, 'London')],
        ['Paris', [3], cityColour(CLASSES, 'Paris')],
      ],
    );
  });

  void it('splits into correct and wrong', () => {
    const traces = scatterTraces(POINTS, CLASSES, 'correct');
    assert.deepEqual(
      traces.map((t) => [t.name, t.customdata]),
      [
        ['Correct', [1, 3, 4]],
        ['Wrong', [2]],
      ],
    );
    assert.deepEqual(
      scatterTraces([POINTS[0]!], CLASSES, 'correct').map((t) => t.name),
      ['Correct'],
    );
    assert.deepEqual(accuracyOf(POINTS), { right: 3, total: 4 });
  });

  void it('reads image ids from Plotly event points, each once', () => {
    assert.deepEqual(
      imageIdsOf([
        { customdata: 3 },
        { customdata: 'x' },
        {},
        { customdata: 3 },
        { customdata: 9 },
      ]),
      [3, 9],
    );
    assert.deepEqual(imageIdsOf([]), []);
  });
});

void describe('target city, top cities, export name, link parameters', () => {
  void it('explains the prediction, the true city or any city of the model', () => {
    assert.equal(targetCity('predicted', 'Paris', CLASSES), null);
    assert.equal(targetCity('true', 'Paris', CLASSES), 'Paris');
    assert.equal(targetCity('true', null, CLASSES), null, 'untagged: the prediction');
    assert.equal(targetCity('true', 'Tokyo', CLASSES), null, 'a city the model does not know');
    assert.equal(targetCity('city:Sydney', null, CLASSES), 'Sydney');
    assert.equal(targetCity('city:Tokyo', null, CLASSES), null);
  });

  void it('lists the most likely cities first', () => {
    assert.deepEqual(topCities([0.2, 0.7, 0.1], CLASSES, 2), [
      { city: 'Paris', probability: 0.7 },
      { city: 'London', probability: 0.2 },
    ]);
    assert.equal(topCities([0.2], CLASSES, 5).length, 3, 'a missing probability is 0');
  });

  void it('names the exported PNG after photo, method and city', () => {
    assert.equal(
      exportFileName('/photos/Paris/paris-3.jpg', 'occlusion', 'Paris'),
      'paris-3-occlusion-Paris.png',
    );
    assert.equal(
      exportFileName('C:\\photos\\rue de la paix.JPEG', 'gradcam', 'São Paulo'),
      'rue_de_la_paix-gradcam-Sao_Paulo.png',
    );
    assert.equal(exportFileName('', 'inclusion', '???'), 'photo-inclusion-photo.png');
  });

  void it('reads an image id from a link, refusing anything else', () => {
    assert.equal(imageIdParam('42'), 42);
    assert.equal(imageIdParam(null), null);
    assert.equal(imageIdParam('0'), null);
    assert.equal(imageIdParam('4.2'), null);
    assert.equal(imageIdParam('-1'), null);
    assert.equal(imageIdParam('abc'), null);
  });

  void it('shows a job answer only for the question it answers', () => {
    const result = { modelId: 'm', imageId: 5, method: 'gradcam' as const, city: 'Paris' };
    const ask = { modelId: 'm', imageId: 5, method: 'gradcam' as const, city: null };
    assert.equal(answerTo(result, ask), result, "the model's own city: any answer");
    assert.equal(answerTo(result, { ...ask, city: 'Paris' }), result);
    assert.equal(answerTo(result, { ...ask, city: 'London' }), null);
    assert.equal(answerTo(result, { ...ask, imageId: 6 }), null);
    assert.equal(answerTo(result, { ...ask, method: 'occlusion' }), null);
    assert.equal(answerTo(null, ask), null);
    assert.equal(answerTo(result, null), null);
  });
});

// The renderer's forms check and word each number field with the contract schema's own limits:
// at and around every bound, a field is refused exactly when the schema refuses the value it sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { EMPTY_CITY_FORM, validateCity } from '../../src/renderer/features/cities/validate';
import { defaultStudyForm, validateStudyForm } from '../../src/renderer/features/guess/study-form';
import { formFromConfig, validateSplit } from '../../src/renderer/features/splits/split-form';
import {
  defaultForm,
  TRAIN_RANGES,
  validateTrain,
} from '../../src/renderer/features/train/hyper-form';
import { fieldRangeMessage, numberInRange, rangeMessage } from '../../src/renderer/ui/number-field';
import {
  collectParams,
  INITIAL_FORM,
  type CollectFormState,
} from '../../src/renderer/features/collect/collect-form';
import {
  COLLECT_HEADING,
  COLLECT_LAT,
  COLLECT_LON,
  COLLECT_MAX_HEADINGS,
  collectMethods,
} from '../../src/shared/contract/collect-methods';
import { labelQueueMethods } from '../../src/shared/contract/label-queue-methods';
import { libraryMethods } from '../../src/shared/contract/library-methods';
import { hyperParamsSchema, mlMethods } from '../../src/shared/contract/ml-methods';
import {
  inRange,
  numberParam,
  paramsShape,
  type NumberParam,
} from '../../src/shared/contract/param-info';
import { DEFAULT_STUDY_ROUNDS, studyMethods } from '../../src/shared/contract/study-methods';

/** Values at, just inside and just outside each bound, and one that is not whole. */
function probes(p: NumberParam): number[] {
  const out: number[] = [];
  for (const bound of [p.min, p.max]) {
    if (bound === null) continue;
    const step = p.int ? 1 : Math.max(Math.abs(bound) * 1e-3, 1e-6);
    out.push(bound - step, bound, bound + step);
  }
  if (p.min !== null) out.push(p.min + 0.5);
  return out;
}

const hyper = hyperParamsSchema.shape;
const train = paramsShape(mlMethods['train.start'].params);
const split = paramsShape(libraryMethods['split.assign'].params);
const study = paramsShape(studyMethods['study.create'].params);
const city = paramsShape(libraryMethods['cities.add'].params);

void describe('form limits from the contract', () => {
  void it('a changed range in a schema changes the train form message built from it', () => {
    assert.equal(
      rangeMessage(numberParam(z.number().int().min(2).max(9))),
      'A whole number from 2 to 9.',
    );
    assert.equal(
      rangeMessage(numberParam(z.number().positive().max(3).nullable())),
      'A number above 0 to 3, or empty.',
    );
    assert.equal(
      rangeMessage(numberParam(z.number().int().nonnegative())),
      'A whole number from 0.',
    );
  });

  void it('the train form refuses exactly what train.start refuses, with the schema in the message', () => {
    const fields: [keyof typeof TRAIN_RANGES, z.ZodTypeAny][] = [
      ['views', train.views],
      ['seed', hyper.seed],
      ['epochs', hyper.epochs],
      ['learningRate', hyper.learningRate],
      ['batchSize', hyper.batchSize],
      ['momentum', hyper.momentum],
      ['l2', hyper.l2],
      ['lrDropFactor', hyper.lrDropFactor],
      ['lrPatience', hyper.lrPatience],
      ['earlyStop', hyper.earlyStopPatience],
      ['hidden', hyper.hidden],
      ['dropout', hyper.dropout],
      ['stage2Epochs', hyper.epochs],
      ['stage2LearningRate', hyper.learningRate],
    ];
    assert.deepEqual(fields.map(([f]) => f).sort(), Object.keys(TRAIN_RANGES).sort());
    for (const [field, schema] of fields) {
      const range = numberParam(schema);
      assert.deepEqual(TRAIN_RANGES[field], range, field);
      for (const n of probes(range)) {
        const checked = validateTrain({ ...defaultForm('bb'), [field]: String(n) });
        const error = checked.ok ? undefined : checked.errors[field];
        assert.equal(error === undefined, schema.safeParse(n).success, `${field} = ${n}`);
        if (error !== undefined) assert.equal(error, rangeMessage(range));
      }
    }
  });

  void it('the split form refuses exactly the shares, seeds and distances split.assign refuses', () => {
    const form = formFromConfig({ train: 0.9, val: 0.05, test: 0.05, seed: 1, spatialKm: null });
    const share = numberParam(split.train);
    for (const n of probes(share)) {
      const pct = String(n * 100);
      const checked = validateSplit({ ...form, train: pct, val: '0', test: String(100 - n * 100) });
      const error = checked.ok ? undefined : checked.errors.train;
      assert.equal(error === undefined, split.train.safeParse(n).success, `train ${pct}%`);
      if (error !== undefined) assert.match(error, new RegExp(`from ${share.min ?? ''} to 100\\.`));
    }
    for (const n of probes(numberParam(split.seed))) {
      const checked = validateSplit({ ...form, seed: String(n) });
      assert.equal(checked.ok, split.seed.safeParse(n).success, `seed ${n}`);
    }
    for (const n of probes(numberParam(split.spatialKm))) {
      const checked = validateSplit({ ...form, spatial: true, spatialKm: String(n) });
      assert.equal(checked.ok, split.spatialKm.safeParse(n).success, `spatialKm ${n}`);
      if (!checked.ok) assert.match(checked.errors.spatialKm ?? '', / at most 1000 km\.$/);
    }
  });

  void it('the study form refuses exactly the rounds, seconds and seeds study.create refuses', () => {
    const form = defaultStudyForm(null, ['A', 'B']);
    assert.equal(form.rounds, String(DEFAULT_STUDY_ROUNDS));
    assert.equal(form.seed, String(study.seed.parse(undefined)));
    for (const n of probes(numberParam(study.rounds)).filter((n) => n >= 0)) {
      const checked = validateStudyForm({ ...form, rounds: String(n) });
      assert.equal(checked.ok, study.rounds.safeParse(n).success, `rounds ${n}`);
    }
    for (const ms of probes(numberParam(study.timeLimitMs))) {
      const seconds = ms / 1000;
      const checked = validateStudyForm({ ...form, timeLimit: String(seconds) });
      const whole = Number.isInteger(seconds);
      assert.equal(checked.ok, whole && study.timeLimitMs.safeParse(ms).success, `${seconds} s`);
      if (!checked.ok) {
        assert.equal(checked.errors.timeLimit, 'Whole seconds from 1 to 3600, or empty for none.');
      }
    }
    for (const n of probes(numberParam(study.seed)).filter((n) => n >= 0)) {
      const checked = validateStudyForm({ ...form, seed: String(n) });
      assert.equal(checked.ok, study.seed.safeParse(n).success, `seed ${n}`);
    }
  });

  void it('the city form refuses exactly what cities.add refuses, its radius default included', () => {
    assert.equal(EMPTY_CITY_FORM.radiusKm, String(city.radiusKm.parse(undefined)));
    const form = { ...EMPTY_CITY_FORM, name: 'Tokyo', lat: '35', lon: '139' };
    for (const field of ['lat', 'lon', 'radiusKm'] as const) {
      for (const n of probes(numberParam(city[field]))) {
        const checked = validateCity({ ...form, [field]: String(n) }, []);
        assert.equal(checked.ok, city[field].safeParse(n).success, `${field} ${n}`);
      }
    }
    const long = 'x'.repeat(101);
    assert.equal(city.name.safeParse(long).success, false);
    const checked = validateCity({ ...form, name: long, country: long }, []);
    assert.deepEqual(checked.ok ? {} : checked.errors, {
      name: 'At most 100 characters.',
      country: 'At most 100 characters.',
    });
    const radius = validateCity({ ...form, radiusKm: '20001' }, []);
    assert.equal(
      radius.ok ? '' : radius.errors.radiusKm,
      'Radius is more than 0 and at most 20 000 km.',
    );
  });

  void it('the collect form refuses exactly what collect.start refuses, in the schema’s numbers', () => {
    const contract = collectMethods['collect.start'].params;
    const shape = paramsShape(contract);
    const base = { ...INITIAL_FORM, cities: ['Paris'] };
    const valid = collectParams(base);
    // Each form field, the schema its probes come from, the form with a probe, the params with it.
    type Case = [string, z.ZodTypeAny, (n: number) => CollectFormState, (n: number) => unknown];
    const field = (key: keyof CollectFormState, param: keyof typeof valid): Case => [
      key,
      shape[param],
      (n) => ({ ...base, [key]: String(n) }),
      (n) => ({ ...valid, [param]: n }),
    ];
    const cases: Case[] = [
      field('count', 'count'),
      field('radiusKm', 'radiusKm'),
      field('fov', 'fov'),
      field('pitch', 'pitch'),
      field('rate', 'ratePerSecond'),
      field('seed', 'seed'),
      [
        'width',
        shape.width,
        (n) => ({ ...base, size: `${n}x256` }),
        (n) => ({ ...valid, width: n }),
      ],
      [
        'height',
        shape.height,
        (n) => ({ ...base, size: `256x${n}` }),
        (n) => ({ ...valid, height: n }),
      ],
      [
        'heading',
        COLLECT_HEADING,
        (n) => ({ ...base, headings: `0,${n}` }),
        (n) => ({ ...valid, headings: [0, n] }),
      ],
      [
        'minLon',
        COLLECT_LON,
        (n) => ({ ...base, bbox: `${n},48.8,180,48.9` }),
        (n) => ({ ...valid, bbox: [n, 48.8, 180, 48.9] }),
      ],
      [
        'maxLat',
        COLLECT_LAT,
        (n) => ({ ...base, bbox: `2.2,-90,2.4,${n}` }),
        (n) => ({ ...valid, bbox: [2.2, -90, 2.4, n] }),
      ],
    ];
    for (const [name, schema, form, params] of cases) {
      const range = numberParam(schema);
      for (const n of probes(range).filter((v) => v >= 0 || (range.min ?? 0) < 0)) {
        let error: Error | null = null;
        try {
          assert.equal(contract.safeParse(collectParams(form(n))).success, true, `${name} ${n}`);
        } catch (e) {
          error = e as Error;
        }
        assert.equal(error === null, contract.safeParse(params(n)).success, `${name} = ${n}`);
        if (error !== null && !inRange(n, range)) {
          // "… must be a whole number from 16 to 640.": the schema's own words and numbers.
          assert.ok(error.message.endsWith(rangeMessage(range).slice(1)), error.message);
        }
      }
    }
    const many = Array.from({ length: COLLECT_MAX_HEADINGS + 1 }, (_, i) => i).join(',');
    assert.throws(() => collectParams({ ...base, headings: many }), /At most 36 headings/);
    assert.equal(
      contract.safeParse({ ...valid, headings: many.split(',').map(Number) }).success,
      false,
    );
  });

  void it('top-k, sample size, folds and the retrain interval are checked against their schemas', () => {
    const predict = paramsShape(mlMethods['predict.start'].params);
    const embed = paramsShape(mlMethods['embed.start'].params);
    const suspects = paramsShape(labelQueueMethods['suspects.start'].params);
    const retrain = paramsShape(labelQueueMethods['queue.settings'].params).retrainEvery;
    for (const schema of [predict.topK, embed.sample, embed.seed, suspects.folds, retrain]) {
      const range = numberParam(schema);
      for (const n of probes(range)) {
        assert.equal(numberInRange(String(n), range) !== null, schema.safeParse(n).success, `${n}`);
      }
      assert.equal(numberInRange('', range), null);
      assert.equal(numberInRange('  ', range), null);
    }
    assert.equal(
      fieldRangeMessage('Top-k', numberParam(predict.topK)),
      'Top-k must be a whole number from 1 to 100.',
    );
  });
});

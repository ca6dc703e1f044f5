// Reading limits and defaults back out of zod schemas (src/shared/contract/param-info.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  inRange,
  numberParam,
  paramDefault,
  paramKind,
  paramsShape,
  textParam,
} from '../../src/shared/contract/param-info';

void describe('param-info', () => {
  void it('reads whole-number, bounds, exclusivity and null through default and optional', () => {
    assert.deepEqual(numberParam(z.number().int().min(1).max(1000).default(30)), {
      int: true,
      min: 1,
      minExclusive: false,
      max: 1000,
      maxExclusive: false,
      nullable: false,
    });
    assert.deepEqual(
      numberParam(z.number().positive().lt(10).nullable().default(null).optional()),
      {
        int: false,
        min: 0,
        minExclusive: true,
        max: 10,
        maxExclusive: true,
        nullable: true,
      },
    );
    assert.deepEqual(numberParam(z.number()), {
      int: false,
      min: null,
      minExclusive: false,
      max: null,
      maxExclusive: false,
      nullable: false,
    });
  });

  void it('keeps the tightest of several bounds', () => {
    const p = numberParam(z.number().nonnegative().min(2).max(9).max(5));
    assert.deepEqual([p.min, p.minExclusive, p.max], [2, false, 5]);
    const q = numberParam(z.number().nonnegative().positive());
    assert.deepEqual([q.min, q.minExclusive], [0, true]);
    const r = numberParam(z.number().positive().nonnegative());
    assert.deepEqual([r.min, r.minExclusive], [0, true], 'an inclusive bound does not loosen it');
  });

  void it('inRange agrees with the schema at and around every bound', () => {
    const schemas = [
      z.number().int().min(1).max(16),
      z.number().positive().max(10),
      z.number().gt(-1).lt(1),
      z.number().min(-90).max(90),
      z.number().int().nonnegative(),
    ];
    for (const schema of schemas) {
      const p = numberParam(schema);
      for (const n of [
        -91,
        -1,
        -0.5,
        0,
        0.5,
        1,
        1.5,
        9.99,
        10,
        16,
        17,
        90,
        91,
        1e9,
        NaN,
        Infinity,
      ]) {
        assert.equal(inRange(n, p), schema.safeParse(n).success, `${n} in ${JSON.stringify(p)}`);
      }
    }
  });

  void it('reads defaults typed, null and absent defaults included', () => {
    assert.equal(paramDefault(z.number().default(0.01)), 0.01);
    assert.equal(paramDefault(z.enum(['a', 'b']).default('b')), 'b');
    assert.equal(paramDefault(z.number().nullable().default(null)), null);
    assert.equal(paramDefault(z.number().min(1)), undefined);
    assert.equal(paramDefault(z.number().default(4).optional()), 4, 'through .partial()');
  });

  void it('names the kind of value a command line takes', () => {
    assert.equal(paramKind(z.number().int().default(3)), 'int');
    assert.equal(paramKind(z.number().nullable().default(null)), 'number');
    assert.equal(paramKind(z.boolean().default(false)), 'boolean');
    assert.equal(paramKind(z.enum(['x']).default('x')), 'string');
    assert.equal(paramKind(z.union([z.literal('random'), z.array(z.number())])), 'string');
  });

  void it('reads text lengths under refinements, and object shapes under refinements', () => {
    const name = z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((s) => s !== 'x');
    assert.deepEqual(textParam(name), { minLength: 1, maxLength: 100 });
    assert.deepEqual(textParam(z.string().default('')), { minLength: 0, maxLength: Infinity });
    const params = z
      .object({ a: z.number().default(1), b: name })
      .strict()
      .refine(() => true)
      .refine(() => true);
    const shape = paramsShape(params);
    assert.equal(paramDefault(shape.a), 1);
    assert.equal(textParam(shape.b).maxLength, 100);
  });

  void it('refuses a schema of another kind (a wiring mistake, found at start-up)', () => {
    assert.throws(() => numberParam(z.string()), /number schema/);
    assert.throws(() => textParam(z.number()), /string schema/);
    assert.throws(() => paramsShape(z.number()), /object schema/);
  });
});

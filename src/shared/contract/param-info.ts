// Reads a parameter's limits and default back out of its zod schema, so the renderer's forms and
// the CLI's option tables check and describe it with the contract's own numbers, never a copy.
import { z } from 'zod';

/** A number parameter as its schema allows it. */
export type NumberParam = {
  int: boolean;
  /** Lower bound (null: none); exclusive for `.positive()` / `.gt()`. */
  min: number | null;
  minExclusive: boolean;
  /** Upper bound (null: none); exclusive for `.lt()`. */
  max: number | null;
  maxExclusive: boolean;
  /** The schema accepts null (for example "no hidden layer"). */
  nullable: boolean;
};

/** A text parameter's length limits (after trimming, where the schema trims): 0 / Infinity if none. */
export type TextParam = { minLength: number; maxLength: number };

type Unwrapped = {
  inner: z.ZodTypeAny;
  nullable: boolean;
  /** Present when the schema has a default: `{ value }` (which may be null). */
  defaulted: { value: unknown } | null;
};

/** Peels `.default()`, `.nullable()`, `.optional()` and refinements off a parameter's schema. */
function unwrap(schema: z.ZodTypeAny): Unwrapped {
  let inner = schema;
  let nullable = false;
  let defaulted: { value: unknown } | null = null;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      defaulted ??= { value: (inner._def as z.ZodDefaultDef).defaultValue() };
      inner = (inner._def as z.ZodDefaultDef).innerType;
    } else if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      nullable ||= inner instanceof z.ZodNullable;
      inner = (inner as z.ZodNullable<z.ZodTypeAny> | z.ZodOptional<z.ZodTypeAny>).unwrap();
    } else if (inner instanceof z.ZodEffects && inner._def.effect.type === 'refinement') {
      inner = (inner as z.ZodEffects<z.ZodTypeAny>).innerType();
    } else break;
  }
  return { inner, nullable, defaulted };
}

/** The limits of a number parameter; throws when the schema is not a number (a wiring bug). */
export function numberParam(schema: z.ZodTypeAny): NumberParam {
  const { inner, nullable } = unwrap(schema);
  if (!(inner instanceof z.ZodNumber)) throw new TypeError('numberParam needs a number schema');
  const param: NumberParam = {
    int: false,
    min: null,
    minExclusive: false,
    max: null,
    maxExclusive: false,
    nullable,
  };
  // The tightest bound wins when a schema states several (e.g. `.nonnegative().min(1)`).
  for (const check of inner._def.checks) {
    if (check.kind === 'int') param.int = true;
    else if (check.kind === 'min' && (param.min === null || check.value >= param.min)) {
      param.minExclusive = !check.inclusive || (check.value === param.min && param.minExclusive);
      param.min = check.value;
    } else if (check.kind === 'max' && (param.max === null || check.value <= param.max)) {
      param.maxExclusive = !check.inclusive || (check.value === param.max && param.maxExclusive);
      param.max = check.value;
    }
  }
  return param;
}

/** Whether a finite number is one the parameter's schema accepts (null aside). */
export function inRange(n: number, param: NumberParam): boolean {
  if (!Number.isFinite(n) || (param.int && !Number.isInteger(n))) return false;
  if (param.min !== null && (param.minExclusive ? n <= param.min : n < param.min)) return false;
  if (param.max !== null && (param.maxExclusive ? n >= param.max : n > param.max)) return false;
  return true;
}

/** The length limits of a text parameter; throws when the schema is not a string. */
export function textParam(schema: z.ZodTypeAny): TextParam {
  const { inner } = unwrap(schema);
  if (!(inner instanceof z.ZodString)) throw new TypeError('textParam needs a string schema');
  return { minLength: inner.minLength ?? 0, maxLength: inner.maxLength ?? Infinity };
}

/**
 * The schema's default, typed as what the schema produces: `undefined` when it has none (the
 * parameter is required, or the core decides), which is also what `.parse(undefined)` would refuse.
 */
export function paramDefault<S extends z.ZodTypeAny>(schema: S): z.output<S> | undefined {
  const { defaulted } = unwrap(schema);
  return defaulted === null ? undefined : defaulted.value;
}

/** What kind of value a parameter takes, for a command line: whole numbers, numbers, flags, text. */
export function paramKind(schema: z.ZodTypeAny): 'int' | 'number' | 'boolean' | 'string' {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodNumber) return numberParam(inner).int ? 'int' : 'number';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  return 'string';
}

/** The fields of a method's parameter object, under any refinements of the whole object. */
type ShapeOf<S> =
  S extends z.ZodObject<infer T> ? T : S extends z.ZodEffects<infer I> ? ShapeOf<I> : never;

/** Each parameter's schema by name, e.g. `paramsShape(methods['split.assign'].params).seed`. */
export function paramsShape<S extends z.ZodTypeAny>(params: S): ShapeOf<S> {
  let inner: z.ZodTypeAny = params;
  while (inner instanceof z.ZodEffects) inner = (inner as z.ZodEffects<z.ZodTypeAny>).innerType();
  if (!(inner instanceof z.ZodObject)) throw new TypeError('paramsShape needs an object schema');
  return (inner as z.ZodObject<z.ZodRawShape>).shape as ShapeOf<S>;
}

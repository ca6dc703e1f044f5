// Options that feed one contract parameter take their value type and the "(default …)" of their
// help from the parameter's schema, so a changed default or type shows in `--help` at once.
import type { z } from 'zod';
import { paramDefault, paramKind } from '../../shared/contract/param-info';
import type { OptionSpec } from './command';

type ParamOptionText = {
  /** Shown after the flag, e.g. `N` in `--epochs N`. */
  value: string;
  /** What the option does, without its default (that is added from the schema). */
  description: string;
  /** For a parameter whose default is null: what null means, shown as "(default: none)". */
  none?: string;
};

/** How a default reads in help: "(default 30)", "(default: none)", or nothing. */
function defaultSuffix(value: unknown, none: string | undefined): string {
  if (value === null) return none === undefined ? '' : ` (default: ${none})`;
  if (typeof value === 'number' || typeof value === 'string') return ` (default ${value})`;
  return '';
}

/** " (default)" after the one choice of an enum parameter that is its default, else nothing. */
export function defaultMark(param: z.ZodTypeAny, choice: string): string {
  return paramDefault(param) === choice ? ' (default)' : '';
}

export function paramOption(param: z.ZodTypeAny, text: ParamOptionText): OptionSpec {
  return {
    type: paramKind(param),
    value: text.value,
    description: `${text.description}${defaultSuffix(paramDefault(param), text.none)}`,
    param,
  };
}

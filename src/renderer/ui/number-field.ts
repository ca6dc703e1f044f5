// Checking a typed number against a contract parameter's limits (read from its zod schema by
// shared/contract/param-info), and saying what is allowed in the schema's own numbers, so a form
// never states a limit of its own.
import { inRange, type NumberParam } from '../../shared/contract/param-info';

/** "A whole number from 1 to 1000.", "A number above 0 to 10.", "…, or empty." (null allowed). */
export function rangeMessage(range: NumberParam): string {
  const kind = range.int ? 'A whole number' : 'A number';
  const from = range.min === null ? '' : ` ${range.minExclusive ? 'above' : 'from'} ${range.min}`;
  const to = range.max === null ? '' : ` ${range.maxExclusive ? 'below' : 'to'} ${range.max}`;
  return `${kind}${from}${to}${range.nullable ? ', or empty' : ''}.`;
}

/** "Top-k must be a whole number from 1 to 100." */
export function fieldRangeMessage(label: string, range: NumberParam): string {
  const message = rangeMessage(range);
  return `${label} must be ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** The number typed in `text` when `range` allows it; null when it is empty or out of range. */
export function numberInRange(text: string, range: NumberParam): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return inRange(value, range) ? value : null;
}

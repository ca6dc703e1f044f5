// State and helpers every op module of the ML host shares: the backend (chosen once per process)
// and parameter validation (params crossed a process boundary, so they are checked like input).
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { selectBackend, type BackendInfo, type BackendPreference } from '../backend';

let backend: Promise<BackendInfo> | null = null;

/** Chooses the backend once per process (LITTLEPLANET_BACKEND or the preference, else auto). */
export function ensureBackend(preference?: BackendPreference): Promise<BackendInfo> {
  backend ??= selectBackend(preference === undefined ? {} : { preference }).catch(
    (error: unknown) => {
      backend = null;
      throw error;
    },
  );
  return backend;
}

/** The chosen backend, or null before any op needed one (never starts TensorFlow). */
export async function chosenBackend(): Promise<BackendInfo | null> {
  return backend === null ? null : backend.catch(() => null);
}

/**
 * Lets a progress event through at most every `intervalMs` (the final one always): per-batch or
 * per-chunk callbacks would otherwise flood the channel to the app. Call with whether this is the
 * last step; true means send it.
 */
export function progressGate(intervalMs = 200): (final: boolean) => boolean {
  let last = 0;
  return (final) => {
    const now = Date.now();
    if (!final && now - last < intervalMs) return false;
    last = now;
    return true;
  };
}

export function parse<T extends z.ZodTypeAny>(schema: T, raw: unknown, op: string): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'BAD_ARGUMENT',
      `Invalid parameters for ${op}${issue ? ` at ${issue.path.join('.') || 'root'}: ${issue.message}` : ''}.`,
    );
  }
  return parsed.data as z.output<T>;
}

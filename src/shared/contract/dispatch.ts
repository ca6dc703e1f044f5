import { AppError, toErrorData, type Result } from './errors';
import { isMethodName, methods, type Handlers, type MethodName, type ParamsOut } from './methods';

/**
 * The server half shared by every door: checks the method name, validates the untrusted parameters
 * against the contract schema, runs the handler and turns any throw into error data.
 */
export async function dispatch(
  handlers: Handlers,
  methodName: string,
  rawParams: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isMethodName(methodName)) {
      throw new AppError('NOT_FOUND', `Unknown method "${methodName}".`);
    }
    const params = parseParams(methodName, rawParams ?? {});
    const handler = handlers[methodName] as (p: ParamsOut<MethodName>) => Promise<unknown>;
    return { ok: true, value: await handler(params) };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}

export function parseParams<K extends MethodName>(name: K, raw: unknown): ParamsOut<K> {
  const parsed = methods[name].params.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    throw new AppError('BAD_ARGUMENT', `Invalid parameters for ${name}: ${issues}`);
  }
  return parsed.data;
}

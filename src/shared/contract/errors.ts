/**
 * Errors cross every boundary (IPC, HTTP, CLI, ML host) as plain data: a stable code a program can
 * branch on and a message a person can act on. Never a stack trace, never an Error instance.
 */
export const ERROR_CODES = [
  'BAD_ARGUMENT',
  'NOT_FOUND',
  'LIBRARY_NOT_OPEN',
  'LIBRARY_NOT_FOUND',
  'SCHEMA_TOO_NEW',
  'CONFLICT',
  'IO_ERROR',
  'UNSUPPORTED',
  'CANCELLED',
  'MODEL_INVALID',
  'BACKEND_UNAVAILABLE',
  'ML_HOST_CRASHED',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type AppErrorData = {
  code: ErrorCode;
  message: string;
  /** Optional structured context (a path, a limit, a field name) for programs and logs. */
  details?: Record<string, unknown>;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into error data; unknown errors become INTERNAL with their message. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData();
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

// How the HTTP bridge answers: contract Results as JSON, plain text and HTML pages, and files
// with validators, every one with the security headers.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppErrorData, Result } from '../../shared/contract/errors';
import { CONTENT_SECURITY_POLICY as CSP, SECURITY_HEADERS } from './content-security';
import { etagFor } from './static-files';

export const failure = (code: AppErrorData['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** HTTP status for an error outside a method call (assets); calls answer 200 with error data. */
export function statusFor(code: AppErrorData['code']): number {
  switch (code) {
    case 'BAD_ARGUMENT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'LIBRARY_NOT_FOUND':
      return 404;
    case 'LIBRARY_NOT_OPEN':
    case 'CONFLICT':
      return 409;
    default:
      return 500;
  }
}

export function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  let body: string;
  try {
    body = JSON.stringify(result);
  } catch (error) {
    status = 500;
    body = JSON.stringify(
      failure('INTERNAL', `The result could not be encoded as JSON: ${String(error)}`),
    );
  }
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain',
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...(type === 'text/html' ? { 'Content-Security-Policy': CSP } : {}),
  });
  res.end(text);
}

export const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>LittlePlaNet Studio</title>
<h1>The UI is not built yet</h1><p>Run <code>npm run build</code> (or <code>npm start</code>) and reload this page.</p>`;

/** Sends a file with a validator; a matching If-None-Match gets 304 and no body. */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: { path: string; size: number; mtimeMs: number; contentType: string },
  headers: Record<string, string>,
): Promise<void> {
  const etag = etagFor(file.size, file.mtimeMs);
  const common = { ...SECURITY_HEADERS, ETag: etag, ...headers };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { ...common, 'Content-Type': file.contentType, 'Content-Length': file.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

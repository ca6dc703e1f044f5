/** What a secret is replaced with wherever text could leave the core. */
export const REDACTED = 'REDACTED';

/** Query parameters and headers that carry credentials in the two services' URLs. */
const SECRET_PARAMS = /([?&](?:key|access_token|token|signature|client_secret)=)[^&#\s"'<>]*/gi;
const AUTH_HEADER = /(\b(?:OAuth|Bearer)\s+)[^\s"',;]+/g;

/**
 * Removes credentials from text that may end up in a log line, an error, a progress message or the
 * database: every `key=`/`access_token=` value, every OAuth/Bearer header value, and every literal
 * occurrence of the given secrets (in case a server echoes one back in a body).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_PARAMS, `$1${REDACTED}`).replace(AUTH_HEADER, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && encoded.length >= 4) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

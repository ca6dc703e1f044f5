/**
 * The UI's Content-Security-Policy, sent as a header by both doors that serve it (HTTP bridge and
 * Electron's `lp-app://`). It repeats the policy scripts/build-renderer.mjs writes into index.html's
 * <meta> (test/contract/content-security.test.ts keeps the two equal) and adds what only a header can
 * say: `frame-ancestors 'none'`. Scripts and styles only from the app's own files, no eval, no inline
 * code; images also from `lp-asset:` (Electron's cached thumbnails), data: and blob:; network only back
 * to the origin (the bridge's API and event stream).
 */
export const UI_POLICY_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' lp-asset: data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
] as const;

export const CONTENT_SECURITY_POLICY = [...UI_POLICY_DIRECTIVES, "frame-ancestors 'none'"].join(
  '; ',
);

/** Headers sent with every bridge response; the page never needs to be framed or sniffed. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

import uiPolicy from './ui-policy.json';

/**
 * The UI's Content-Security-Policy, sent as a header by both doors that serve it (HTTP bridge and
 * Electron's `lp-app://`). Its directives live once, in ui-policy.json, which
 * scripts/build-renderer.mjs also reads for index.html's <meta> (test/contract/app-protocols.test.ts
 * and test/e2e/renderer-build.test.ts check both); the header adds what only a header can say:
 * `frame-ancestors 'none'`. Scripts and styles only from the app's own files, no eval, no inline
 * code; images also from `lp-asset:` (Electron's cached thumbnails), data: and blob: (Plotly's legend
 * swatches); network only back to the origin (the bridge's API and event stream).
 */
export const UI_POLICY_DIRECTIVES: readonly string[] = uiPolicy;

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

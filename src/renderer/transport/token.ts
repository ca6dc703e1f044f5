const STORAGE_KEY = 'littleplanet.bridgeToken';

type TokenWindow = Pick<Window, 'location' | 'sessionStorage' | 'history'>;

/** `?token=…` (what the studio prints), keeping any other query parameters. */
function fromQuery(search: string): { token: string; rest: string } | null {
  const params = new URLSearchParams(search);
  const token = params.get('token');
  if (token === null || token === '') return null;
  params.delete('token');
  const rest = params.toString();
  return { token, rest: rest === '' ? '' : `?${rest}` };
}

/** `#token=…`, the older link form, still accepted so saved links and scripts keep working. */
function fromHash(hash: string): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  if (match?.[1] === undefined) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * The HTTP bridge opens the page as `/?token=…` (or the older `/#token=…`). The token is moved into
 * sessionStorage (so a reload keeps working) and removed from the visible URL with replaceState (so
 * it does not end up in screenshots, history or a link someone copies). A route hash such as
 * `#/cities` next to a query token is kept.
 */
export function takeBridgeToken(win: TokenWindow = window): string | null {
  const { pathname, search, hash } = win.location;
  const query = fromQuery(search);
  if (query !== null) {
    win.sessionStorage.setItem(STORAGE_KEY, query.token);
    // A stale `#token=` next to it goes too; a route hash stays.
    const keptHash = fromHash(hash) === null ? hash : '';
    win.history.replaceState(null, '', pathname + query.rest + keptHash);
    return query.token;
  }
  const token = fromHash(hash);
  if (token !== null) {
    win.sessionStorage.setItem(STORAGE_KEY, token);
    win.history.replaceState(null, '', pathname + search);
    return token;
  }
  return win.sessionStorage.getItem(STORAGE_KEY);
}

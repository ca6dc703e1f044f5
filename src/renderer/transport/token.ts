const STORAGE_KEY = 'littleplanet.bridgeToken';

/**
 * The HTTP bridge opens the page as `/#token=…`. The token is moved into sessionStorage (so a reload
 * keeps working) and removed from the visible URL (so it does not end up in screenshots or history).
 */
export function takeBridgeToken(win: Window = window): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash);
  if (match?.[1] !== undefined) {
    const token = decodeURIComponent(match[1]);
    win.sessionStorage.setItem(STORAGE_KEY, token);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
    return token;
  }
  return win.sessionStorage.getItem(STORAGE_KEY);
}

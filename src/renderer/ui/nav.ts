/**
 * Moves to another view with parameters in the hash (`#/evaluate?model=abc`). The app's router
 * reads only the view id before `?`, so the parameters ride along for the view to pick up.
 */
export function navigate(view: string, params: Record<string, string> = {}): void {
  const query = new URLSearchParams(params).toString();
  window.location.hash = `#/${view}${query === '' ? '' : `?${query}`}`;
}

/** A parameter of the current hash route, e.g. `model` in `#/evaluate?model=abc`. */
export function hashParam(name: string): string | null {
  const hash = window.location.hash;
  const q = hash.indexOf('?');
  return q < 0 ? null : new URLSearchParams(hash.slice(q + 1)).get(name);
}

import { useCallback, useEffect, useState } from 'react';

/** The current view lives in the URL hash (`#/cities`), so a reload stays where the user was. */
function readRoute(fallback: string): string {
  const match = /^#\/([a-z-]+)/.exec(window.location.hash);
  return match?.[1] ?? fallback;
}

export function useRoute(fallback: string): [string, (id: string) => void] {
  const [route, setRoute] = useState(() => readRoute(fallback));
  useEffect(() => {
    const onHash = (): void => setRoute(readRoute(fallback));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [fallback]);
  const go = useCallback((id: string) => {
    window.history.pushState(null, '', `#/${id}`);
    setRoute(id);
  }, []);
  return [route, go];
}

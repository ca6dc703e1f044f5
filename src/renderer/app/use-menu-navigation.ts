import { useEffect } from 'react';
import { useStudio } from './studio-context';
import { OPEN_VIEW, VIEWS } from './views';

/**
 * Follows the Electron menu's Go and File › Open Library… items: main sends `{channel: 'ui',
 * payload: {type: 'navigate', view}}` to this window. In a browser nothing sends it. A view id this
 * renderer does not know (a menu from another version) is ignored rather than shown as a blank page.
 */
export function useMenuNavigation(go: (view: string) => void): void {
  const { client } = useStudio();
  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'ui' || event.payload.type !== 'navigate') return;
        const { view } = event.payload;
        if (view === OPEN_VIEW || VIEWS.some((v) => v.id === view)) go(view);
      }),
    [client, go],
  );
}

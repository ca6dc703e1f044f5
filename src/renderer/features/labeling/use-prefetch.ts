import { useEffect } from 'react';
import { useStudio } from '../../app/studio-context';

/** Photos decoded ahead of the one on screen, so the next one shows the moment a key is pressed. */
const AHEAD = 3;

export function usePrefetch(imageIds: readonly number[]): void {
  const { transport } = useStudio();
  const key = imageIds.slice(0, AHEAD).join(',');
  useEffect(() => {
    if (key === '') return;
    // The browser caches the decoded files; the <img> of the next photo then finds them there.
    for (const id of key.split(',')) new Image().src = transport.assetUrl('norm', Number(id));
  }, [key, transport]);
}

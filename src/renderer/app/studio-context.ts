import { createContext, useContext } from 'react';
import type { Client, RendererTransport } from '../../shared/contract/client';

/** The one client every feature calls through, and the door it rides on (for asset URLs). */
export type Studio = { client: Client; transport: RendererTransport };

export const StudioContext = createContext<Studio | null>(null);

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (studio === null) throw new Error('useStudio() needs a <StudioContext.Provider> above it.');
  return studio;
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { LibraryEvent } from '../../shared/contract/job-types';
import type { CityWithCount, LibraryInfo } from '../../shared/contract/library-types';
import { useNotify } from './notices';
import { useStudio } from './studio-context';

export type ChangeKind = LibraryEvent['what'];
type Revisions = Record<ChangeKind, number>;

export type LibraryState = {
  /** The open library, or null while none is open. */
  library: LibraryInfo | null;
  setLibrary: (info: LibraryInfo | null) => void;
  /** Re-reads the open library's info (e.g. its split config) without treating it as reopened. */
  refreshInfo: () => Promise<void>;
  /** The library's cities in their stable order (that order gives the 1–9, 0 shortcuts). */
  cities: CityWithCount[];
  /** Bumped on every change of that kind, whether it came from this window or another door. */
  revisions: Revisions;
  /** Marks data as changed after a local action, without waiting for the server's event. */
  changed: (...what: ChangeKind[]) => void;
};

const LibraryContext = createContext<LibraryState | null>(null);
const ZERO: Revisions = { opened: 0, images: 0, labels: 0, cities: 0, splits: 0, models: 0 };

export function useLibrary(): LibraryState {
  const state = useContext(LibraryContext);
  if (state === null) throw new Error('useLibrary() needs a <LibraryProvider> above it.');
  return state;
}

/** The open library; throws when none is open, for views only shown with a library. */
export function useOpenLibrary(): LibraryState & { library: LibraryInfo } {
  const state = useLibrary();
  if (state.library === null) throw new Error('This view needs an open library.');
  return state as LibraryState & { library: LibraryInfo };
}

/** A key that changes whenever one of the given kinds of data changed. */
export function useRevisionKey(...what: ChangeKind[]): string {
  const { revisions } = useLibrary();
  return what.map((w) => revisions[w]).join('.');
}

export function LibraryProvider(props: { initial: LibraryInfo | null; children: ReactNode }) {
  const { client } = useStudio();
  const notify = useNotify();
  const [library, setLibraryState] = useState<LibraryInfo | null>(props.initial);
  const [cities, setCities] = useState<CityWithCount[]>([]);
  const [revisions, setRevisions] = useState<Revisions>(ZERO);

  const changed = useCallback((...what: ChangeKind[]) => {
    setRevisions((r) => {
      const next = { ...r };
      for (const w of what) next[w] += 1;
      return next;
    });
  }, []);

  const setLibrary = useCallback(
    (info: LibraryInfo | null) => {
      setLibraryState(info);
      changed('opened');
    },
    [changed],
  );

  const refreshInfo = useCallback(async () => {
    setLibraryState(await client.call('library.info', {}));
  }, [client]);

  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'library') return;
        changed(event.payload.what);
        // Another door (or window) may have opened a different library: follow it.
        if (event.payload.what === 'opened') {
          client.call('library.info', {}).then(setLibraryState, () => setLibraryState(null));
        }
      }),
    [client, changed],
  );

  const dir = library?.dir ?? null;
  const citiesKey = `${dir}:${revisions.opened}.${revisions.cities}.${revisions.labels}.${revisions.images}`;
  useEffect(() => {
    if (dir === null) {
      setCities([]);
      return;
    }
    let current = true;
    client.call('cities.list', {}).then(
      (list) => {
        if (current) setCities(list);
      },
      (error: unknown) => {
        if (current) notify.error('Could not load the cities', error);
      },
    );
    return () => {
      current = false;
    };
  }, [client, notify, dir, citiesKey]);

  const value = useMemo(
    () => ({ library, setLibrary, refreshInfo, cities, revisions, changed }),
    [library, setLibrary, refreshInfo, cities, revisions, changed],
  );
  return <LibraryContext.Provider value={value}>{props.children}</LibraryContext.Provider>;
}

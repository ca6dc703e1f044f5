import { useSyncExternalStore } from 'react';
import type { BackendReport } from '../../shared/contract/ml-types';

// The backend the ML host chose, as far as this window knows. `ml.info` starts the ML host, so
// screens that merely want to show the backend (the status bar) read it from here instead of
// asking: it is filled in by whoever called `ml.info` anyway (Models, Train). The host keeps its
// backend for its whole life, so one answer stays true until the core restarts.
let known: BackendReport | null = null;
const listeners = new Set<() => void>();

export function publishBackend(report: BackendReport): void {
  if (known !== null && JSON.stringify(known) === JSON.stringify(report)) return;
  known = report;
  for (const listener of listeners) listener();
}

export function knownBackend(): BackendReport | null {
  return known;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The last backend report any view received, or null while none has been. */
export function useKnownBackend(): BackendReport | null {
  return useSyncExternalStore(subscribe, knownBackend);
}

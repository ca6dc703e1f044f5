import type { AppEvent } from '../../shared/contract/job-types';

export type EventListener = (event: AppEvent) => void;

/** A tiny synchronous fan-out; a throwing listener is isolated so it cannot break the others. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('event listener failed:', error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

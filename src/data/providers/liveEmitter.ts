// The typed listener registry every LiveFeed shares, so each feed only decides what to emit and when.

import type { LiveFeedEvents, LiveListener } from './types.js';

type Listeners = { [K in keyof LiveFeedEvents]: Set<LiveListener<K>> };

export class LiveEmitter {
  private readonly listeners: Listeners = { bar: new Set(), quote: new Set(), trade: new Set(), status: new Set(), error: new Set() };

  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void {
    const set = this.listeners[event] as Set<LiveListener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A throwing listener is the caller's bug and propagates; it is not swallowed here. */
  emit<K extends keyof LiveFeedEvents>(event: K, payload: LiveFeedEvents[K]): void {
    for (const l of [...(this.listeners[event] as Set<LiveListener<K>>)]) l(payload);
  }

  clear(): void {
    for (const set of Object.values(this.listeners)) set.clear();
  }
}

// What the backtest and optimization job runners share: a queue of run ids started `concurrency` at a time,
// and progress listeners that one failing listener cannot stop.

import type { Logger } from '../../core/log.js';

export class RunQueue {
  private queue: number[] = [];
  /** Runs started and not yet released: a run that ends while queued (canceled) never held a slot. */
  private readonly running = new Set<number>();
  private readonly concurrency: number;

  constructor(concurrency: number | undefined) {
    this.concurrency = Math.max(1, Math.floor(concurrency ?? 1));
  }

  enqueue(id: number): void {
    this.queue.push(id);
  }

  remove(id: number): void {
    this.queue = this.queue.filter((x) => x !== id);
  }

  clear(): void {
    this.queue = [];
  }

  /** Starts queued runs while a slot is free: `take(id)` is false for a run that ended while it waited. */
  pump(take: (id: number) => boolean, start: (id: number) => void): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as number;
      if (!take(id)) continue;
      this.running.add(id);
      start(id);
    }
  }

  /** Run `id` ended: its slot is free if it held one (no-op for a run that never started). */
  release(id: number): void {
    this.running.delete(id);
  }
}

export class ProgressListeners<E extends { readonly id: number }> {
  private readonly listeners = new Set<(e: E) => void>();

  constructor(
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  /** Calls listener on every event; returns the unsubscribe function. */
  add(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: E): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error(`${this.what} progress listener failed`, { id: e.id, error: (err as Error).message });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

// IB disconnects a client that sends more than 50 messages a second. The pacer sends at most `maxPerWindow`
// messages in any window of `windowMs` and queues the rest, in order, for the next free slot.

/** Time and timers, injected so tests move them by hand. */
export interface PacerTimers {
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  later(fn: () => void, ms: number): () => void;
}

export const REAL_TIMERS: PacerTimers = {
  now: () => Date.now(),
  later: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

export class MessagePacer {
  private readonly sentAt: number[] = [];
  private readonly queue: Buffer[] = [];
  private cancelWake: (() => void) | null = null;

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    private readonly write: (msg: Buffer) => void,
    private readonly timers: PacerTimers = REAL_TIMERS,
  ) {
    if (!Number.isInteger(maxPerWindow) || maxPerWindow < 1) throw new Error(`pacer: maxPerWindow must be a positive integer, got ${maxPerWindow}`);
  }

  /** Sends now if the window has room, else queues behind earlier messages. */
  push(msg: Buffer): void {
    this.queue.push(msg);
    this.flush();
  }

  /** Messages waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /** Drops what waits (the connection closed: those bytes can no longer go out on it). */
  clear(): void {
    this.queue.length = 0;
    this.sentAt.length = 0;
    this.cancelWake?.();
    this.cancelWake = null;
  }

  private flush(): void {
    const now = this.timers.now();
    while (this.sentAt.length > 0 && now - (this.sentAt[0] ?? 0) >= this.windowMs) this.sentAt.shift();
    while (this.queue.length > 0 && this.sentAt.length < this.maxPerWindow) {
      const msg = this.queue.shift();
      if (msg === undefined) break;
      this.sentAt.push(now);
      this.write(msg);
    }
    if (this.queue.length > 0 && this.cancelWake === null) {
      const wait = Math.max(0, (this.sentAt[0] ?? now) + this.windowMs - now);
      this.cancelWake = this.timers.later(() => {
        this.cancelWake = null;
        this.flush();
      }, wait);
    }
  }
}

// Strategy timers: fire in time order (ties in the order they were set) whenever the clock passes them.

interface Timer<O> {
  owner: O;
  name: string;
  at: number;
  repeatMs: number;
  seq: number;
}

export class TimerQueue<O = unknown> {
  private timers: Timer<O>[] = [];
  private seq = 0;

  set(owner: O, name: string, atMs: number, repeatMs = 0): void {
    this.cancel(owner, name);
    this.timers.push({ owner, name, at: atMs, repeatMs: Math.max(0, repeatMs), seq: this.seq++ });
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  cancel(owner: O, name: string): void {
    this.timers = this.timers.filter((t) => !(t.owner === owner && t.name === name));
  }

  /** Drops every timer of one owner (a strategy stopped at run time). */
  cancelOwner(owner: O): void {
    this.timers = this.timers.filter((t) => t.owner !== owner);
  }

  /** Earliest due time, or Infinity. */
  get nextAt(): number {
    return this.timers[0]?.at ?? Infinity;
  }

  /** Fires every timer due at or before `now`; repeating timers are rescheduled after `now`. */
  fireDue(now: number, fire: (owner: O, name: string, at: number) => void): void {
    while (this.timers.length > 0 && (this.timers[0] as Timer<O>).at <= now) {
      const t = this.timers.shift() as Timer<O>;
      if (t.repeatMs > 0) {
        let next = t.at + t.repeatMs;
        while (next <= now) next += t.repeatMs;
        this.set(t.owner, t.name, next, t.repeatMs);
      }
      fire(t.owner, t.name, t.at);
    }
  }
}

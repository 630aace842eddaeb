// The notifier: one bounded queue and one delivery loop per channel, so a dead or slow receiver holds up only
// its own messages. `notify()` is synchronous and cheap — it copies a reference into queues and returns — and
// is what the session's event handlers call on the step path. Delivery retries with doubling waits, paces each
// channel to its rate, and drops (counting) what does not fit the queue.

import type { Logger } from '../core/log.js';
import { DeliveryError, type Channel } from './channels.js';
import type { Notification } from './types.js';

export interface ChannelStats {
  readonly channel: string;
  readonly type: string;
  readonly sent: number;
  /** Given up after every attempt. */
  readonly failed: number;
  /** Did not fit the queue, or still queued when the notifier stopped. */
  readonly dropped: number;
  readonly queued: number;
  readonly lastError: string | null;
}

export interface NotifierOptions {
  readonly queueSize: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly log?: Logger;
  readonly now?: () => number;
  /** Waits ms or until the signal aborts (tests pass a fake). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How long stop() lets queued messages go out. */
  readonly stopGraceMs?: number;
}

export interface DeliveryResult {
  readonly channel: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly ms: number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

class Lane {
  readonly queue: Notification[] = [];
  sent = 0;
  failed = 0;
  dropped = 0;
  lastError: string | null = null;
  running: Promise<void> | null = null;
  private tokens: number;
  private refilledAt: number;

  constructor(readonly channel: Channel, now: number) {
    this.tokens = channel.ratePerMin;
    this.refilledAt = now;
  }

  /** 0 when a message may go now (and takes the token), else ms until one may. */
  takeToken(now: number): number {
    const perMs = this.channel.ratePerMin / 60_000;
    this.tokens = Math.min(this.channel.ratePerMin, this.tokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / perMs);
  }
}

export class Notifier {
  private readonly lanes: Lane[];
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(channels: readonly Channel[], private readonly opts: NotifierOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.lanes = channels.map((c) => new Lane(c, this.now()));
  }

  get channels(): readonly Channel[] {
    return this.lanes.map((l) => l.channel);
  }

  /** Queues `n` for every channel that takes its kind. Never throws, never waits. */
  readonly notify = (n: Notification): void => {
    if (this.closed) return;
    for (const lane of this.lanes) {
      if (lane.channel.events !== null && !lane.channel.events.has(n.kind)) continue;
      if (lane.queue.length >= this.opts.queueSize) {
        lane.dropped++;
        continue;
      }
      lane.queue.push(n);
      if (lane.running === null) lane.running = this.drain(lane);
    }
  };

  stats(): ChannelStats[] {
    return this.lanes.map((l) => ({ channel: l.channel.name, type: l.channel.type, sent: l.sent, failed: l.failed, dropped: l.dropped, queued: l.queue.length, lastError: l.lastError }));
  }

  /** Resolves once every queue is empty and nothing is in flight. */
  idle(): Promise<void> {
    if (this.lanes.every((l) => l.running === null)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** One attempt on each channel (or the one named), now, outside the queues: `pi5 notify test`. */
  async sendNow(n: Notification, only?: string): Promise<DeliveryResult[]> {
    const lanes = this.lanes.filter((l) => only === undefined || l.channel.name === only);
    return Promise.all(
      lanes.map(async (l) => {
        const started = this.now();
        try {
          await l.channel.send(n);
          return { channel: l.channel.name, ok: true, error: null, ms: this.now() - started };
        } catch (e) {
          return { channel: l.channel.name, ok: false, error: (e as Error).message, ms: this.now() - started };
        }
      }),
    );
  }

  /** Lets queued messages go out for a grace period, then gives up the rest (counted as dropped). */
  async stop(): Promise<void> {
    this.closed = true;
    const grace = new AbortController();
    await Promise.race([this.idle(), this.sleep(this.opts.stopGraceMs ?? 5000, grace.signal)]);
    grace.abort();
    this.abort.abort();
    // A send in flight ends by its own timeout; what is still queued will not go.
    for (const l of this.lanes) {
      l.dropped += l.queue.length;
      l.queue.length = 0;
    }
  }

  private async drain(lane: Lane): Promise<void> {
    // Starts on a later turn: the caller (a session step) is never made to run delivery code.
    await Promise.resolve();
    while (lane.queue.length > 0 && !this.abort.signal.aborted) {
      const wait = lane.takeToken(this.now());
      if (wait > 0) {
        await this.sleep(wait, this.abort.signal);
        continue;
      }
      const n = lane.queue.shift() as Notification;
      await this.deliver(lane, n);
    }
    lane.dropped += lane.queue.length;
    lane.queue.length = 0;
    lane.running = null;
    if (this.lanes.every((l) => l.running === null)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async deliver(lane: Lane, n: Notification): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await lane.channel.send(n);
        lane.sent++;
        return;
      } catch (e) {
        const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, true);
        lane.lastError = err.message;
        const last = !err.retry || attempt >= this.opts.retries || this.abort.signal.aborted;
        this.opts.log?.warn(`notify: ${lane.channel.name}: ${n.kind} not delivered${last ? '' : ', retrying'}: ${err.message}`, { channel: lane.channel.name, attempt: attempt + 1 });
        if (last) {
          lane.failed++;
          return;
        }
        const backoff = Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** attempt);
        await this.sleep(Math.max(backoff, err.retryAfterMs ?? 0), this.abort.signal);
      }
    }
  }
}

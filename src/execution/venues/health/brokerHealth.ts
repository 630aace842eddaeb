// Health of one broker connection: healthy, degraded or down, from its link (connected, last message heard),
// request latency and error rate over a recent window. Generic over any venue: a venue with no link (the
// simulated exchange) is up whenever asked.

export type BrokerState = 'healthy' | 'degraded' | 'down';

/** What a broker venue tells about its connection. */
export interface VenueLink {
  connected(): boolean;
  /** Wall time of the last message from the broker (stream liveness); null before the first. */
  lastMessageAtMs(): number | null;
  /** A round trip to the broker; resolves with its latency in ms. */
  probe?(): Promise<number>;
}

export interface BrokerHealthLimits {
  /** Median latency at or above this makes a broker degraded. */
  readonly degradedLatencyMs: number;
  /** An error share of recent requests at or above this makes it degraded. */
  readonly degradedErrorRate: number;
  /** Nothing heard from the broker for this long makes it degraded (a stalled stream). */
  readonly staleAfterMs: number;
  /** How many recent requests latency and error rate are taken over. */
  readonly window: number;
  /** Fewer outcomes than this say nothing about the error rate. */
  readonly minSamples: number;
}

export const DEFAULT_HEALTH_LIMITS: BrokerHealthLimits = { degradedLatencyMs: 1000, degradedErrorRate: 0.25, staleAfterMs: 90_000, window: 50, minSamples: 4 };

export interface BrokerHealthStatus {
  readonly venue: string;
  readonly state: BrokerState;
  /** Why it is not healthy; empty when it is. */
  readonly reasons: readonly string[];
  readonly connected: boolean;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly last: number } | null;
  readonly errorRate: number;
  readonly samples: number;
  readonly lastMessageAgeMs: number | null;
}

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export class BrokerHealth {
  private readonly latencies: number[] = [];
  private readonly outcomes: boolean[] = [];
  private readonly latencyListeners: ((ms: number) => void)[] = [];

  constructor(
    readonly venue: string,
    private readonly link: VenueLink | null,
    private readonly now: () => number,
    private readonly limits: BrokerHealthLimits = DEFAULT_HEALTH_LIMITS,
  ) {}

  /** A request answered (order acknowledged, probe returned) after `ms`. */
  recordLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > this.limits.window) this.latencies.shift();
    for (const fn of this.latencyListeners) fn(ms);
  }

  /** A request that succeeded (true) or failed: refused by the broker, timed out, lost. */
  recordOutcome(ok: boolean): void {
    this.outcomes.push(ok);
    if (this.outcomes.length > this.limits.window) this.outcomes.shift();
  }

  /** Every latency recorded from now on (for a histogram). */
  onLatency(fn: (ms: number) => void): void {
    this.latencyListeners.push(fn);
  }

  /** Asks the link for a round trip; a failure counts as an error. No-op for a venue without a probe. */
  async probe(): Promise<void> {
    if (this.link?.probe === undefined || !this.link.connected()) return;
    try {
      this.recordLatency(await this.link.probe());
      this.recordOutcome(true);
    } catch {
      this.recordOutcome(false);
    }
  }

  status(): BrokerHealthStatus {
    const connected = this.link === null || this.link.connected();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const latencyMs = sorted.length === 0 ? null : { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), last: this.latencies[this.latencies.length - 1] ?? 0 };
    const errors = this.outcomes.filter((ok) => !ok).length;
    const errorRate = this.outcomes.length === 0 ? 0 : errors / this.outcomes.length;
    const heard = this.link?.lastMessageAtMs() ?? null;
    const lastMessageAgeMs = heard === null ? null : Math.max(0, this.now() - heard);
    const reasons: string[] = [];
    const l = this.limits;
    if (!connected) reasons.push('not connected');
    if (latencyMs !== null && latencyMs.p50 >= l.degradedLatencyMs) reasons.push(`median latency ${latencyMs.p50} ms ≥ ${l.degradedLatencyMs} ms`);
    if (this.outcomes.length >= l.minSamples && errorRate >= l.degradedErrorRate) reasons.push(`${errors} of the last ${this.outcomes.length} requests failed`);
    if (connected && lastMessageAgeMs !== null && lastMessageAgeMs >= l.staleAfterMs) reasons.push(`nothing heard for ${Math.round(lastMessageAgeMs / 1000)} s`);
    const state: BrokerState = !connected ? 'down' : reasons.length > 0 ? 'degraded' : 'healthy';
    return { venue: this.venue, state, reasons, connected, latencyMs, errorRate, samples: this.outcomes.length, lastMessageAgeMs };
  }
}

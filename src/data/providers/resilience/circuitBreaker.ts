// A circuit breaker per provider: after `failureThreshold` consecutive failures it opens and refuses calls at
// once (PI5_ERR_CIRCUIT_OPEN) for `coolDownMs`, then lets one trial call through (half-open): success closes
// it, failure opens it again. Stops a dead or throttling service from being hammered symbol after symbol.

import { WallClock, type Clock } from '../../../core/clock.js';
import { isPi5Error, Pi5Error, type ErrorCode } from '../../../core/errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker; default 5. */
  readonly failureThreshold?: number;
  /** Time the breaker stays open before a trial call; default 60 s. */
  readonly coolDownMs?: number;
  readonly clock?: Clock;
}

export interface BreakerSnapshot {
  readonly name: string;
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** Epoch ms when it last opened; undefined while it never has. */
  readonly openedAt: number | undefined;
  /** Epoch ms from which a trial call is let through (open state only). */
  readonly retryAt: number | undefined;
}

/**
 * Answers about the request, not the service's health: the service worked and said no. They neither open the
 * breaker nor count against it.
 */
const NOT_A_SERVICE_FAILURE: ReadonlySet<ErrorCode> = new Set(['PI5_ERR_UNKNOWN_SYMBOL', 'PI5_ERR_BAD_USAGE', 'PI5_ERR_BAD_CONFIG', 'PI5_ERR_CIRCUIT_OPEN']);

export function countsAsFailure(e: unknown): boolean {
  return !(isPi5Error(e) && NOT_A_SERVICE_FAILURE.has(e.code));
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt: number | undefined;
  private trialRunning = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly clock: Clock;

  constructor(
    readonly name: string,
    opts: BreakerOptions = {},
  ) {
    this.threshold = Math.max(1, opts.failureThreshold ?? 5);
    this.coolDownMs = Math.max(0, opts.coolDownMs ?? 60_000);
    this.clock = opts.clock ?? new WallClock();
  }

  /** Runs `call` unless the breaker is open; its outcome moves the state. */
  async run<T>(call: () => Promise<T>, label = this.name): Promise<T> {
    this.admit(label);
    const trial = this.state === 'half-open';
    try {
      const value = await call();
      this.onSuccess();
      return value;
    } catch (e) {
      if (countsAsFailure(e)) this.onFailure();
      else if (trial) this.onSuccess();
      throw e;
    } finally {
      if (trial) this.trialRunning = false;
    }
  }

  snapshot(): BreakerSnapshot {
    this.refresh();
    const retryAt = this.state === 'open' && this.openedAt !== undefined ? this.openedAt + this.coolDownMs : undefined;
    return { name: this.name, state: this.state, consecutiveFailures: this.failures, openedAt: this.openedAt, retryAt };
  }

  /** Moves open → half-open once the cool-down has passed. */
  private refresh(): void {
    if (this.state === 'open' && this.openedAt !== undefined && this.clock.now() >= this.openedAt + this.coolDownMs) this.state = 'half-open';
  }

  private admit(label: string): void {
    this.refresh();
    const busyTrial = this.state === 'half-open' && this.trialRunning;
    if (this.state === 'open' || busyTrial) {
      const retryAt = (this.openedAt ?? 0) + this.coolDownMs;
      const wait = Math.max(0, Math.ceil((retryAt - this.clock.now()) / 1000));
      const why = busyTrial ? 'a trial call is running' : `retrying in ${wait} s`;
      throw new Pi5Error('PI5_ERR_CIRCUIT_OPEN', `${label}: ${this.name} circuit is open after ${this.failures} consecutive failures; ${why}`, { provider: this.name, retryAt });
    }
    if (this.state === 'half-open') this.trialRunning = true;
  }

  private onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
  }

  private onFailure(): void {
    this.failures++;
    if (this.state === 'half-open' || this.failures >= this.threshold) {
      this.state = 'open';
      this.openedAt = this.clock.now();
    }
  }
}

/** The breakers of one process by provider name, so a status route can list them (`breakerStates()`). */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  /** The breaker of `name`, created with `opts` on first use (later options are ignored). */
  get(name: string, opts: BreakerOptions = {}): CircuitBreaker {
    let b = this.breakers.get(name);
    if (b === undefined) {
      b = new CircuitBreaker(name, opts);
      this.breakers.set(name, b);
    }
    return b;
  }

  states(): BreakerSnapshot[] {
    return [...this.breakers.values()].map((b) => b.snapshot()).sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** The process-wide registry used by resilientProvider() unless given another. */
export const defaultBreakers = new BreakerRegistry();

/** Every provider breaker of this process: name, state, failures, when it opened and may retry. */
export function breakerStates(): BreakerSnapshot[] {
  return defaultBreakers.states();
}

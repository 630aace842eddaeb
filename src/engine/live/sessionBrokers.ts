// The brokers of a trading session: the primary and its standbys by priority (`broker.failover`), each behind its
// own BrokerLink (recovery gate, journaled reports, reconciliation). New orders go to the highest-priority broker
// the journal last saw healthy: health is observed on the wall clock, but a change of where orders go is recorded
// as a `brokerStates` action, so recovery routes every re-derived order to the broker it went to. An order stays
// with the broker that took it, and each broker is reconciled against the orders it holds and the positions its
// own fills made (docs/decisions/0011-failover-journal.md).

import { Pi5Error } from '../../core/errors.js';
import type { Order, Side } from '../../model/types.js';
import type { SessionBroker } from '../../execution/venues/brokerVenue.js';
import { BrokerHealth, type BrokerHealthStatus, type BrokerState } from '../../execution/venues/health/brokerHealth.js';
import { VenueRouter } from '../../execution/venues/health/venueRouter.js';
import type { VenueFactory } from '../../execution/venues/venue.js';
import type { VenueReport } from '../../execution/venueReports.js';
import { BrokerLink, type BrokerAction, type BrokerRetry, type ReconciliationRecord } from './sessionBroker.js';

export type { BrokerRetry } from './sessionBroker.js';

export interface SessionBrokersHost {
  /** The session's working orders. */
  readonly working: () => readonly Order[];
  readonly order: (clientOrderId: string) => Order | undefined;
  readonly record: (a: BrokerAction) => Promise<unknown>;
  readonly halt: (reason: string) => void;
  readonly wallNow: () => number;
  readonly reconciled: (venue: string, r: ReconciliationRecord) => void;
  readonly retry: BrokerRetry;
  /** A broker was unreachable at start (`reason`; retried with backoff), or is reached now (null). */
  readonly reachability: (venue: string, reason: string | null) => void;
}

/** A change of route, as recorded: every broker's observed state, and why. */
export interface BrokerStates {
  readonly states: Readonly<Record<string, BrokerState>>;
  readonly reasons: string;
}

export interface SessionBrokerStatus {
  readonly name: string;
  /** 1 is the primary. */
  readonly priority: number;
  /** As observed now (wall clock). */
  readonly health: BrokerHealthStatus;
  /** As last recorded in the journal: what routing goes by. */
  readonly recordedState: BrokerState;
  readonly reconciliation: ReconciliationRecord | null;
  /** Why the broker could not be reached since the session started (retried with backoff), or null. */
  readonly unreachable: string | null;
}

const signed = (side: Side, q: number): number => (side === 'buy' ? q : -q);

/** Index of the broker new orders go to: the first healthy one, else the first degraded one, else the primary. */
function pick(states: readonly BrokerState[]): number {
  const healthy = states.indexOf('healthy');
  if (healthy >= 0) return healthy;
  return Math.max(0, states.indexOf('degraded'));
}

export class SessionBrokers {
  readonly links: readonly BrokerLink[];
  readonly monitors: readonly BrokerHealth[];
  /** Broker states as the journal last recorded them (all healthy until a change is recorded). */
  private recorded: ReadonlyMap<string, BrokerState> = new Map();
  /** Signed quantities by symbol made by each broker's fills (re-derived from the journal). */
  private readonly booked = new Map<string, Map<string, number>>();
  private router: VenueRouter | null = null;

  constructor(
    brokers: readonly SessionBroker[],
    private readonly host: SessionBrokersHost,
  ) {
    const names = brokers.map((b) => b.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `broker: two brokers are named "${twice}"; give each failover entry its own name`);
    this.links = brokers.map(
      (b) =>
        new BrokerLink(b, {
          working: () => this.held(b.name),
          positions: () => this.booked.get(b.name) ?? new Map<string, number>(),
          record: host.record,
          halt: host.halt,
          wallNow: host.wallNow,
          reconciled: (r) => host.reconciled(b.name, r),
          retry: host.retry,
          reachability: (reason) => host.reachability(b.name, reason),
        }),
    );
    this.monitors = brokers.map((b) => new BrokerHealth(b.name, b.link?.() ?? null, host.wallNow));
  }

  get primary(): BrokerLink {
    return this.links[0] as BrokerLink;
  }

  /** The kernel's venue factory: the primary's venue alone, or a router over every broker's by priority. */
  factory(): VenueFactory {
    if (this.links.length === 1) return this.primary.factory();
    const routes = this.links.map((l, i) => ({ factory: l.factory(), priority: i + 1, state: () => this.recorded.get(l.broker.name) ?? 'healthy' }));
    return (deps) => (this.router = new VenueRouter(routes, deps));
  }

  /** Applies one journaled action that concerns the brokers; `run` applies it to the kernel. */
  apply<T>(a: { readonly kind: 'venueReport'; readonly report: VenueReport; readonly venue?: string } | ({ readonly kind: 'brokerStates' } & BrokerStates), run: () => T): T {
    if (a.kind === 'brokerStates') {
      this.recorded = new Map(Object.entries(a.states));
      return run();
    }
    const order = a.report.type === 'filled' ? this.host.order(a.report.clientOrderId) : undefined;
    const before = order?.filledQuantity ?? 0;
    const out = run();
    if (order !== undefined && order.filledQuantity !== before) {
      const venue = a.venue ?? this.primary.broker.name;
      const book = this.booked.get(venue) ?? new Map<string, number>();
      book.set(order.symbol, (book.get(order.symbol) ?? 0) + signed(order.side, order.filledQuantity - before));
      this.booked.set(venue, book);
    }
    return out;
  }

  /** The change to record when where new orders go differs between the brokers' health now and the journal; else null. */
  observe(): BrokerStates | null {
    if (this.links.length === 1) return null;
    const now = this.monitors.map((m) => m.status());
    const was = this.links.map((l) => this.recorded.get(l.broker.name) ?? 'healthy');
    if (pick(now.map((s) => s.state)) === pick(was)) return null;
    const reasons = now.filter((s) => s.state !== 'healthy').map((s) => `${s.venue} ${s.state}${s.reasons.length === 0 ? '' : ` (${s.reasons.join('; ')})`}`);
    return { states: Object.fromEntries(now.map((s) => [s.venue, s.state])), reasons: reasons.length === 0 ? 'all brokers healthy' : reasons.join('; ') };
  }

  /** The broker new orders go to now (as recorded). */
  route(): string {
    const was = this.links.map((l) => this.recorded.get(l.broker.name) ?? 'healthy');
    return (this.links[pick(was)] ?? this.primary).broker.name;
  }

  /**
   * Opens each broker in priority order: takes over the orders it holds, connects, reconciles. One that cannot be
   * reached is retried in the background; until it is, new orders go to a standby that is up (failover).
   */
  async start(): Promise<void> {
    for (const l of this.links) await l.start();
  }

  /** Every broker's reports so far are recorded; brokers that are up have also answered what was sent. */
  async settled(): Promise<void> {
    // No broker reached since the start: no step (its orders would reach nobody) until one is.
    if (this.links.every((l) => l.unreachable !== null)) await Promise.race(this.links.map((l) => l.reached()));
    for (const [i, l] of this.links.entries()) {
      if (this.links.length > 1 && this.monitors[i]?.status().state === 'down') await l.recorded();
      else await l.settled();
    }
  }

  async close(): Promise<void> {
    for (const l of this.links) await l.close();
  }

  status(): readonly SessionBrokerStatus[] {
    return this.links.map((l, i) => ({
      name: l.broker.name,
      priority: i + 1,
      health: (this.monitors[i] as BrokerHealth).status(),
      recordedState: this.recorded.get(l.broker.name) ?? 'healthy',
      reconciliation: l.last,
      unreachable: l.unreachable,
    }));
  }

  /** The working orders `name` holds: where the router sent them (the primary when there is no router). */
  private held(name: string): Order[] {
    return this.host.working().filter((o) => (this.router?.holderOf(o)?.name ?? this.primary.broker.name) === name);
  }
}

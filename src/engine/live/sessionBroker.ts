// A trading session at a broker: the broker's venue behind a gate that stays shut while recovery re-runs the
// stored steps (recorded broker reports replay the broker's answers; nothing is sent twice), the recorder that
// turns the broker's reports into journaled session actions, and the reconciliation run at start and after every
// reconnection, which takes over the re-derived orders by client id before anything is sent.

import type { Order, Bar, OrderChanges, Quote } from '../../model/types.js';
import { reconcileWithBroker } from '../../execution/reconcile/reconciler.js';
import type { Reconciliation } from '../../execution/reconcile/reconcile.js';
import { ReportRecorder, type VenueReport } from '../../execution/venueReports.js';
import type { BrokerVenue, SessionBroker } from '../../execution/venues/brokerVenue.js';
import type { Venue, VenueFactory, VenueOrderState } from '../../execution/venues/venue.js';
import { isPi5Error, Pi5Error } from '../../core/errors.js';
import { WakeableDelay } from '../../core/wakeableDelay.js';

/** Holds every request back while shut (recovery), then passes everything through to the broker. */
class RecoveryGate implements Venue {
  readonly name: string;
  open = false;

  constructor(
    private readonly inner: BrokerVenue,
    name: string,
  ) {
    this.name = name;
  }

  submit(order: Order, activeAfterTs?: number): void {
    if (this.open) this.inner.submit(order, activeAfterTs);
  }
  cancel(order: Order): boolean {
    return this.open ? this.inner.cancel(order) : true;
  }
  replace(order: Order, changes: OrderChanges): boolean {
    return this.open ? (this.inner.replace?.(order, changes) ?? false) : true;
  }
  /** Passed on even while shut: it sends nothing, and recovery needs the broker to know a bracket's legs. */
  holdExits(entry: Order, exits: readonly Order[]): void {
    this.inner.holdExits?.(entry, exits);
  }
  cancelAll(symbol?: string): number {
    return this.open ? this.inner.cancelAll(symbol) : 0;
  }
  workingOrders(): Promise<readonly VenueOrderState[]> {
    return this.inner.workingOrders();
  }
  lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    return this.inner.lookup(clientOrderId);
  }
  onBar(_bar: Bar): void {}
  onQuote(_quote: Quote): void {}
}

export interface ReconciliationRecord extends Reconciliation {
  /** Wall-clock time it ran. */
  readonly at: number;
  readonly trigger: string;
}

/** What a broker link journals: the broker's reports and its reconciliations, under the broker's name. */
export type BrokerAction =
  | { readonly kind: 'venueReport'; readonly report: VenueReport; readonly venue: string }
  | { readonly kind: 'reconciled'; readonly reconciliation: Reconciliation; readonly trigger: string; readonly venue: string };

/** What the link needs from its session. */
export interface BrokerLinkHost {
  /** The session's working orders this broker holds. */
  readonly working: () => readonly Order[];
  /** Signed quantities by symbol that this broker's fills made. */
  readonly positions: () => ReadonlyMap<string, number>;
  /** Records and applies one action (a broker report, a reconciliation) through the session's serial queue. */
  readonly record: (a: BrokerAction) => Promise<unknown>;
  readonly halt: (reason: string) => void;
  readonly wallNow: () => number;
  /** A reconciliation is recorded (its record is `last` now). */
  readonly reconciled: (r: ReconciliationRecord) => void;
  /** Waits between attempts to reach a broker that was unreachable at start: doubling from baseMs up to maxMs. */
  readonly retry: BrokerRetry;
  /** The broker could not be reached at start (`reason`, retrying), or is reached now (`reason` null). */
  readonly reachability: (reason: string | null) => void;
}

export interface BrokerRetry {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BROKER_RETRY: BrokerRetry = { baseMs: 1_000, maxMs: 60_000 };

export class BrokerLink {
  readonly recorder = new ReportRecorder();
  private gate: RecoveryGate | null = null;
  private inner: BrokerVenue | null = null;
  private readonly recording = new Set<Promise<unknown>>();
  private chain: Promise<unknown> = Promise.resolve();
  last: ReconciliationRecord | null = null;
  /** Why the broker could not be reached since the session started (retried with backoff), or null once it was. */
  unreachable: string | null = null;
  /** The retries of a broker unreachable at start; resolves once it is reached and reconciled (or the link closes). */
  private reaching: Promise<void> | null = null;
  private readonly retryDelay = new WakeableDelay();
  private closed = false;

  constructor(
    readonly broker: SessionBroker,
    private readonly host: BrokerLinkHost,
  ) {
    this.recorder.sink = (report) => {
      const p = this.host.record({ kind: 'venueReport', report, venue: broker.name }).catch(() => undefined);
      this.recording.add(p);
      void p.finally(() => this.recording.delete(p));
    };
  }

  /** The kernel's venue factory: the broker's venue reporting to the recorder, behind the recovery gate. */
  factory(): VenueFactory {
    return (d) => {
      this.inner = this.broker.create({ ...d, reports: this.recorder });
      this.gate = new RecoveryGate(this.inner, this.broker.name);
      return this.gate;
    };
  }

  /**
   * Connects the broker's stream, opens the gate and reconciles, taking over the orders recovery re-derived. A
   * broker that cannot be reached does not stop the start: it is tried again with backoff in the background (the
   * gate stays shut, so nothing is sent to it and nothing is lost), and reconciled like this once it answers.
   */
  async start(): Promise<void> {
    this.venue();
    try {
      await this.open();
    } catch (e) {
      // Refused keys or a config the broker rejects: no retry fixes that, the start fails and says why.
      if (isPi5Error(e) && (e.details.fatal === true || e.details.refusal === 'FORBIDDEN')) throw e;
      this.unreachable = (e as Error).message;
      this.host.reachability(this.unreachable);
      this.reaching = this.retryUntilReached();
    }
  }

  /** Resolves once the broker was reached and reconciled since the start (at once if it was at start). */
  reached(): Promise<void> {
    return this.reaching ?? Promise.resolve();
  }

  private async open(): Promise<void> {
    const gate = this.gate as RecoveryGate;
    try {
      await this.broker.connect(() => void this.reconcile('reconnect', false));
      gate.open = true;
      await this.reconcile('start', true);
    } catch (e) {
      // Nothing goes to a broker whose orders are not yet taken over: they are, at the next attempt.
      gate.open = false;
      throw e;
    }
  }

  private async retryUntilReached(): Promise<void> {
    const r = this.host.retry;
    for (let wait = r.baseMs; !this.closed; wait = Math.min(r.maxMs, wait * 2)) {
      await this.retryDelay.sleep(wait);
      if (this.closed) return;
      try {
        await this.open();
        this.unreachable = null;
        this.host.reachability(null);
        return;
      } catch (e) {
        this.unreachable = (e as Error).message;
      }
    }
  }

  /** Runs one reconciliation after any in progress; trading waits for `settled()`. */
  reconcile(trigger: string, resume: boolean): Promise<void> {
    const run = this.chain.then(() => this.run(trigger, resume));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Resolves when no reconciliation runs and the broker has answered what the last step sent (its reports
   * recorded): the next step then decides on them, as it would on the simulated exchange's fills.
   */
  async settled(): Promise<void> {
    await this.chain;
    if (this.gate?.open !== true) return;
    await this.broker.flush();
    await this.idle();
  }

  /** What the broker answered so far is recorded; a broker that is down is not waited for (its stream is away). */
  async recorded(): Promise<void> {
    await this.chain;
    while (this.recording.size > 0) await Promise.allSettled([...this.recording]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.retryDelay.wake();
    await this.reaching;
    await this.chain;
    await this.broker.close();
    await this.idle();
  }

  private venue(): BrokerVenue {
    if (this.inner === null) throw new Pi5Error('PI5_ERR_INTERNAL', `broker ${this.broker.name}: the kernel built no venue`);
    return this.inner;
  }

  private async idle(): Promise<void> {
    await this.inner?.idle();
    while (this.recording.size > 0) await Promise.allSettled([...this.recording]);
  }

  private async run(trigger: string, resume: boolean): Promise<void> {
    const venue = this.venue();
    if (resume) for (const o of [...this.host.working()]) if (o.status !== 'new') await venue.resume(o);
    await this.idle();
    const r = await reconcileWithBroker({ working: this.host.working, positions: this.host.positions, broker: venue, resend: (o) => venue.submit(o), adopt: () => undefined }, this.broker.policy);
    await this.idle();
    await this.host.record({ kind: 'reconciled', reconciliation: r, trigger, venue: this.broker.name });
    this.last = { ...r, at: this.host.wallNow(), trigger };
    if (r.halt !== null) this.host.halt(r.halt);
    this.host.reconciled(this.last);
  }
}

// Alpaca for a trading session: the REST client, the venue the session's kernel sends through, and the trading
// stream feeding it trade_updates; after every reconnection the venue catches up over REST from shortly before
// the drop, then the session reconciles. Drops and returns of the stream are told to connection listeners.

import type { ReconcilePolicy } from '../../reconcile/reconcile.js';
import type { BrokerConnectionEvent, BrokerConnectionSource, SessionBroker } from '../brokerVenue.js';
import type { VenueLink } from '../health/brokerHealth.js';
import type { VenueDeps } from '../venue.js';
import type { AlpacaTradingApi, AlpacaTradingCredentials } from './api.js';
import { AlpacaTradeStream } from './tradeStream.js';
import { AlpacaVenue, type AlpacaVenueOptions } from './venue.js';

export interface AlpacaSessionBrokerOptions {
  readonly api: AlpacaTradingApi;
  readonly credentials: AlpacaTradingCredentials;
  readonly streamUrl: string;
  readonly venue: AlpacaVenueOptions;
  readonly policy: ReconcilePolicy;
  /** The broker's name in the session (a standby Alpaca account needs its own); default alpaca. */
  readonly name?: string;
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Wall clock for catch-up ranges (the broker's time, not the session's market time). */
  readonly wallNow?: () => number;
}

/** How far before a drop the catch-up starts: clocks differ, and an event may have been in flight. */
const CATCH_UP_MARGIN_MS = 60_000;

export class AlpacaSessionBroker implements SessionBroker, BrokerConnectionSource {
  readonly name: string;
  readonly policy: ReconcilePolicy;
  private venue: AlpacaVenue | null = null;
  private readonly listeners = new Set<(e: BrokerConnectionEvent) => void>();
  private stream: AlpacaTradeStream | null = null;
  private downSince: number;

  constructor(private readonly o: AlpacaSessionBrokerOptions) {
    this.name = o.name ?? 'alpaca';
    this.policy = o.policy;
    this.downSince = (o.wallNow ?? Date.now)() - CATCH_UP_MARGIN_MS;
  }

  create(deps: VenueDeps): AlpacaVenue {
    this.venue = new AlpacaVenue(this.o.api, deps, this.o.venue);
    return this.venue;
  }

  async connect(onReconnected: () => void): Promise<void> {
    const now = this.o.wallNow ?? Date.now;
    // Connecting again (the broker was unreachable at start): the attempt before must not linger.
    this.stream?.close();
    this.stream = new AlpacaTradeStream({
      url: this.o.streamUrl,
      credentials: this.o.credentials,
      onUpdate: (u) => this.venue?.onTradeUpdate(u),
      onProblem: (e) => this.o.venue.onProblem?.(e.message),
      onState: (state, detail) => {
        if (state !== 'down') return;
        this.downSince = now() - CATCH_UP_MARGIN_MS;
        this.tell({ venue: this.name, state: 'down', detail: `${detail}; reconnecting`, ts: now() });
      },
      onReconnected: async () => {
        await this.venue?.catchUp(this.downSince);
        this.tell({ venue: this.name, state: 'up', detail: 'trading stream reconnected; missed orders and fills caught up over REST', ts: now() });
        onReconnected();
      },
      ...(this.o.reconnectBaseMs === undefined ? {} : { baseDelayMs: this.o.reconnectBaseMs }),
      ...(this.o.reconnectMaxMs === undefined ? {} : { maxDelayMs: this.o.reconnectMaxMs }),
    });
    await this.stream.connect();
  }

  onConnection(listener: (e: BrokerConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Listeners only queue (the node's notifier): a drop is reported without waiting on anyone. */
  private tell(e: BrokerConnectionEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Resolves once every frame the stream received so far is handled and no request is in flight. */
  async flush(): Promise<void> {
    await this.venue?.idle();
    await this.stream?.flush();
    await this.venue?.idle();
  }

  /** Up while the trading stream is connected: without it fills go unheard (failover reads this). */
  link(): VenueLink {
    return { connected: () => this.stream?.up ?? false, lastMessageAtMs: () => null };
  }

  async close(): Promise<void> {
    this.stream?.close();
    this.stream = null;
    await this.venue?.idle();
  }
}

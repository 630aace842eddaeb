// The contract every historical bar provider (Yahoo, Alpha Vantage, Alpaca, CSV) implements: one symbol,
// one timeframe, an inclusive UTC range in; raw bars plus the corporate actions needed to adjust them out.

import type { Pi5Error } from '../../core/errors.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { Bar, Quote, Trade } from '../../model/types.js';

export interface HistoricalBarRequest {
  readonly symbol: string;
  /** Our timeframe text ('5m', '1h', '1d', ...). */
  readonly timeframe: string;
  /** Inclusive bounds, epoch ms (UTC). */
  readonly from: number;
  readonly to: number;
}

/** A split of `numerator` new shares for `denominator` old ones, effective at the open of `ts`. */
export interface SplitAction {
  readonly kind: 'split';
  readonly symbol: string;
  /** Ex-date at 00:00 UTC. */
  readonly ts: number;
  readonly numerator: number;
  readonly denominator: number;
}

/** A cash dividend per share (in `currency`), going ex at the open of `ts`. */
export interface DividendAction {
  readonly kind: 'dividend';
  readonly symbol: string;
  /** Ex-date at 00:00 UTC. */
  readonly ts: number;
  readonly amount: number;
  readonly currency: string;
}

export type CorporateAction = SplitAction | DividendAction;

export interface HistoricalBars {
  /** Raw (as traded) prices and volumes, DESIGN.md §8 timestamps, oldest first, within the range. */
  readonly series: BarSeries;
  /** Actions inside the range, oldest first. */
  readonly corporateActions: readonly CorporateAction[];
  /** Rows the provider sent without prices (holidays, halts), left out of `series`. */
  readonly skippedRows: number;
}

export interface HistoricalBarProvider {
  /** Lower-case name used on the CLI (`--provider yahoo`). */
  readonly name: string;
  fetchBars(request: HistoricalBarRequest): Promise<HistoricalBars>;
  /**
   * Why a fetch at this timeframe brings no corporate actions, when the source carries none (e.g. a raw-price
   * endpoint), so the user is told where to get them; undefined when actions come with the bars.
   */
  actionsNote?(timeframe: string): string | undefined;
}

// ---- Real-time feeds (issue 5): a push stream of normalized bars, quotes and trades (UTC epoch ms). An
// exchange WebSocket (Alpaca), a polling loop (Yahoo) or a CSV replay all implement it, so a live session
// does not care where its data comes from.

/** Symbols per channel; a subscribe adds to, an unsubscribe removes from, the feed's current set. */
export interface LiveSubscription {
  readonly bars?: readonly string[];
  /** The day's bar (timeframe '1d'), where the feed has them (Alpaca's dailyBars); others ignore it. */
  readonly dailyBars?: readonly string[];
  readonly quotes?: readonly string[];
  readonly trades?: readonly string[];
}

export type LiveFeedState = 'connecting' | 'connected' | 'subscribed' | 'reconnecting' | 'backfilling' | 'live' | 'closed';

export interface LiveStatus {
  readonly state: LiveFeedState;
  /** Reconnection attempt, 1 for the first retry after a drop. */
  readonly attempt?: number;
  /** Delay before the next attempt. */
  readonly delayMs?: number;
  readonly detail?: string;
}

export interface LiveBar {
  /** Intraday bars keyed by their open instant in UTC (DESIGN.md §8). */
  readonly bar: Bar;
  /** True for bars fetched from the historical API to fill a gap after a reconnect. */
  readonly backfilled: boolean;
  /** True when this bar replaces one already sent for the same symbol and ts (Alpaca's updatedBars). */
  readonly corrected?: boolean;
}

export interface LiveError {
  readonly error: Pi5Error;
  /** True when the feed stopped for good (bad credentials, gave up reconnecting). */
  readonly fatal: boolean;
}

export interface LiveFeedEvents {
  bar: LiveBar;
  quote: Quote;
  trade: Trade;
  status: LiveStatus;
  error: LiveError;
}

export type LiveListener<K extends keyof LiveFeedEvents> = (event: LiveFeedEvents[K]) => void;

export interface LiveFeed {
  /** Lower-case name used on the CLI (`--provider alpaca`). */
  readonly name: string;
  /** The ticks it can stream besides bars (a subscription to others is refused). */
  readonly ticks: { readonly quotes: boolean; readonly trades: boolean };
  /** Resolves once the feed delivers data (connected, authenticated, subscribed); rejects if it cannot. */
  connect(): Promise<void>;
  subscribe(s: LiveSubscription): Promise<void>;
  unsubscribe(s: LiveSubscription): Promise<void>;
  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void;
  /** Stops for good: no reconnect, no further events after the final 'closed' status. */
  close(): Promise<void>;
}

// The contract every historical bar provider (Yahoo, Alpha Vantage, Alpaca, CSV) implements: one symbol,
// one timeframe, an inclusive UTC range in; raw bars plus the corporate actions needed to adjust them out.

import type { BarSeries } from '../../model/barSeries.js';

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
}

// The bars of one run from the store: the one function `pi5 backtest`, `pi5 serve --replay-symbols` and the
// API's backtest jobs load stored bars through. Picks each symbol's source timeframe (storeSeries.ts), reads
// it adjusted as asked (adjustedSeries.ts) and tells the caller what it built from a finer timeframe.

import type { BarSeries } from '../model/barSeries.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';
import { readAdjustedStoreSeries } from './adjustedSeries.js';
import type { BarStore } from './barStore.js';
import type { Database } from './database.js';
import { planStoreRead, type SeriesRequest } from './storeSeries.js';

export interface RunBarsRequest extends SeriesRequest {
  /** Raw (default), split- or split- and dividend-adjusted with the stored corporate actions, relative to `to`. */
  readonly adjustment?: PriceAdjustment;
  /** Ends the PI5_ERR_NO_DATA message when a symbol has no usable bars: how this caller's user gets them. */
  readonly hint: string;
  /** Told what was built from a finer stored timeframe (the CLI prints it on stderr). */
  readonly onNote?: (note: string) => void;
}

/**
 * Bars of the requested symbols, in their order: at the timeframe when stored, else built from the coarsest
 * stored timeframe that divides it. A built series is built whole and cut by the run, as a resampled CSV is.
 */
export async function readRunBars(db: Database, store: BarStore, req: RunBarsRequest): Promise<BarSeries[]> {
  const request: SeriesRequest = {
    symbols: req.symbols,
    timeframe: req.timeframe,
    ...(req.from === undefined ? {} : { from: req.from }),
    ...(req.to === undefined ? {} : { to: req.to }),
  };
  const plan = planStoreRead(request, await store.list(), req.hint);
  const { series, resampled } = await readAdjustedStoreSeries(db, store, { ...request, adjustment: req.adjustment ?? 'none' }, plan);
  for (const r of resampled) {
    const how = r.aggregate === undefined ? `built ${r.bars} ${req.timeframe} bars from the stored ${r.from} bars` : `read ${r.bars} ${req.timeframe} bars from the continuous aggregate ${r.aggregate} of the stored ${r.from} bars`;
    req.onNote?.(`${r.symbol}: no ${req.timeframe} bars stored; ${how}`);
  }
  return series;
}

// Bars of a run from the store at the timeframe it asks for: stored at that timeframe, or built in SQL from a
// finer stored timeframe that divides it (1w from 1d, 1h from 1m). One implementation for `pi5 backtest` and
// the API's backtest jobs.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import type { BarStore, StoredSeries } from './barStore.js';
import { resampledSeries } from './barResample.js';
import { hasCagg } from './barCagg.js';
import type { Database } from './database.js';

export interface SeriesRequest {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Inclusive bounds, epoch ms; bound only reads at the stored timeframe (a built series is built whole). */
  readonly from?: number;
  readonly to?: number;
}

/** Where each symbol's bars come from: the timeframe read from the store (equal to the request's, or finer). */
export type StorePlan = ReadonlyMap<string, { readonly storedTf: string }>;

const DAY_MS = 86_400_000;

/** True when every bucket of `target` is a whole number of `base` buckets (so resampling is exact). */
export function dividesTimeframe(base: TimeframeSpec, target: TimeframeSpec): boolean {
  if (base.ms >= target.ms) return false;
  const intraday = base.unit === 's' || base.unit === 'm' || base.unit === 'h';
  // Weeks start on Monday and months on the 1st: only whole days (or finer, dividing a day) fit them;
  // multi-day buckets count from the epoch (a Thursday), multi-week ones from a Monday.
  if (target.unit === 'M') return base.unit === 'M' ? target.count % base.count === 0 : (intraday && DAY_MS % base.ms === 0) || (base.unit === 'd' && base.count === 1);
  if (target.unit === 'w') return base.unit === 'w' ? target.count % base.count === 0 : (intraday && DAY_MS % base.ms === 0) || (base.unit === 'd' && base.count === 1);
  return base.unit !== 'w' && base.unit !== 'M' && target.ms % base.ms === 0;
}

/**
 * Chooses each symbol's source: its bars at the timeframe, or else the coarsest stored timeframe that divides
 * it (fewest rows to aggregate; a daily history usually also reaches further back than a minute one).
 * Throws PI5_ERR_NO_DATA naming the symbols that have neither; `hint` ends the message.
 */
export function planStoreRead(req: SeriesRequest, stored: readonly StoredSeries[], hint = 'import them with pi5 data import, see pi5 data list'): StorePlan {
  const target = parseTimeframe(req.timeframe);
  if (target === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(req.timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`);
  const plan = new Map<string, { storedTf: string }>();
  const missing: string[] = [];
  for (const symbol of req.symbols) {
    const mine = stored.filter((s) => s.symbol === symbol);
    const exact = mine.find((s) => s.timeframe === req.timeframe);
    const finer = mine
      .map((s) => parseTimeframe(s.timeframe))
      .filter((tf): tf is TimeframeSpec => tf !== null && dividesTimeframe(tf, target))
      .sort((a, b) => b.ms - a.ms)[0];
    const use = exact?.timeframe ?? finer?.text;
    if (use === undefined) missing.push(symbol);
    else plan.set(symbol, { storedTf: use });
  }
  if (missing.length > 0) {
    throw new Pi5Error('PI5_ERR_NO_DATA', `table bars: no ${req.timeframe} bars (nor finer ones to build them from) for ${missing.join(', ')}; ${hint}`, {
      symbols: missing,
      timeframe: req.timeframe,
    });
  }
  return plan;
}

export interface StoreRead {
  /** In the order of the request's symbols. */
  readonly series: BarSeries[];
  /** The symbols whose bars were built from a finer stored timeframe (or read from its continuous aggregate). */
  readonly resampled: readonly BuiltSeries[];
}

export interface BuiltSeries {
  readonly symbol: string;
  readonly from: string;
  readonly bars: number;
  /** The TimescaleDB continuous aggregate the bars were read from, when they were (already built on import). */
  readonly aggregate?: string;
}

/** The request's bars, read or built as planStoreRead decides (pass `plan` when it was made already). */
export async function readStoreSeries(db: Database, bars: BarStore, req: SeriesRequest, plan?: StorePlan): Promise<StoreRead> {
  const chosen = plan ?? planStoreRead(req, await bars.list());
  const series: BarSeries[] = [];
  const resampled: BuiltSeries[] = [];
  for (const symbol of req.symbols) {
    const storedTf = chosen.get(symbol)?.storedTf ?? req.timeframe;
    if (storedTf === req.timeframe) {
      const range = { symbols: [symbol], timeframe: storedTf, ...(req.from === undefined ? {} : { from: req.from }), ...(req.to === undefined ? {} : { to: req.to }) };
      series.push(...(await bars.read(range)));
    } else if (db.hasTimescale && storedTf === '1m' && hasCagg(req.timeframe)) {
      // The same buckets, already aggregated on import (barCagg.ts; tested equal to the resample path). BarStore
      // reads the aggregate for a timeframe with no stored bars of its own, which is the case here.
      const s = await bars.read({ symbols: [symbol], timeframe: req.timeframe });
      series.push(...s);
      resampled.push({ symbol, from: storedTf, bars: s[0]?.length ?? 0, aggregate: `bars_cagg_${req.timeframe}` });
    } else {
      const s = await resampledSeries(db, symbol, storedTf, req.timeframe);
      series.push(s);
      resampled.push({ symbol, from: storedTf, bars: s.length });
    }
  }
  return { series, resampled };
}

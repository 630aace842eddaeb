// Adjusted reads of the store (DESIGN.md §8): bars are stored as traded, so a split- or dividend-adjusted series
// is derived here from the stored bars and the symbol's stored corporate actions. The one place `pi5 backtest`,
// `pi5 data export`, GET /api/v1/bars and API backtest jobs turn raw bars into adjusted ones.

import { applyPriceAdjustment } from '../data/adjust.js';
import { resampleSeries } from '../data/resample.js';
import type { BarSeries } from '../model/barSeries.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';
import type { BarStore } from './barStore.js';
import type { Database, Queryable } from './database.js';
import { CorporateActionRepository } from './repositories/corporateActions.js';
import { planStoreRead, readStoreSeries, type SeriesRequest, type StorePlan, type StoreRead } from './storeSeries.js';

/**
 * `s` adjusted with its symbol's stored actions that went ex up to its last bar (and not after `to`): the
 * adjustment is relative to the last bar read, which keeps its traded prices; later actions change nothing.
 */
export async function adjustStoredSeries(db: Queryable, s: BarSeries, adjustment: PriceAdjustment, to?: number): Promise<BarSeries> {
  const last = s.ts[s.length - 1];
  if (adjustment === 'none' || last === undefined) return s;
  const end = to === undefined ? last : Math.min(to, last);
  const actions = await new CorporateActionRepository(db).list(s.symbol, { to: end });
  return applyPriceAdjustment(s, actions, adjustment);
}

export interface AdjustedSeriesRequest extends SeriesRequest {
  readonly adjustment: PriceAdjustment;
}

/**
 * readStoreSeries (persistence/storeSeries.ts) in the asked form. A series built from a finer stored timeframe
 * is adjusted before it is aggregated: a bucket holding an ex-date would otherwise mix pre- and post-split
 * prices in its high and low. It is built whole, as readStoreSeries builds it, and adjusted up to `to`.
 */
export async function readAdjustedStoreSeries(db: Database, bars: BarStore, req: AdjustedSeriesRequest, plan?: StorePlan): Promise<StoreRead> {
  const chosen = plan ?? planStoreRead(req, await bars.list());
  if (req.adjustment === 'none') return readStoreSeries(db, bars, req, chosen);
  const series: BarSeries[] = [];
  const resampled: { symbol: string; from: string; bars: number }[] = [];
  for (const symbol of req.symbols) {
    const storedTf = chosen.get(symbol)?.storedTf ?? req.timeframe;
    const exact = storedTf === req.timeframe;
    const range = { symbols: [symbol], timeframe: storedTf, ...(exact && req.from !== undefined ? { from: req.from } : {}), ...(exact && req.to !== undefined ? { to: req.to } : {}) };
    for (const s of await bars.read(range)) {
      const adjusted = await adjustStoredSeries(db, s, req.adjustment, req.to);
      if (exact) series.push(adjusted);
      else {
        const built = resampleSeries(adjusted, req.timeframe);
        series.push(built);
        resampled.push({ symbol, from: storedTf, bars: built.length });
      }
    }
  }
  return { series, resampled };
}

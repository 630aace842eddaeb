// HistoricalBars as JSON for the response cache: the columns' Float64Arrays become plain arrays, and a zod
// schema checks entries on the way back, so an entry written by another version is a miss, not bad bars.

import { z } from 'zod';
import type { BarSeries } from '../../../model/barSeries.js';
import type { CorporateAction, HistoricalBars } from '../types.js';

const column = z.array(z.number());

const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('split'), symbol: z.string(), ts: z.number(), numerator: z.number(), denominator: z.number() }),
  z.object({ kind: z.literal('dividend'), symbol: z.string(), ts: z.number(), amount: z.number(), currency: z.string() }),
]);

const entrySchema = z.object({
  v: z.literal(1),
  symbol: z.string(),
  timeframe: z.string(),
  priceDecimals: z.number().int(),
  ts: column,
  open: column,
  high: column,
  low: column,
  close: column,
  volume: column,
  corporateActions: z.array(actionSchema),
  skippedRows: z.number().int(),
});

export type BarsEntry = z.infer<typeof entrySchema>;

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export function encodeBars(b: HistoricalBars): BarsEntry {
  const s = b.series;
  const col = (c: (typeof COLUMNS)[number]): number[] => Array.from(s[c].subarray(0, s.length));
  return {
    v: 1,
    symbol: s.symbol,
    timeframe: s.timeframe,
    priceDecimals: s.priceDecimals,
    ts: col('ts'),
    open: col('open'),
    high: col('high'),
    low: col('low'),
    close: col('close'),
    volume: col('volume'),
    corporateActions: b.corporateActions.map((a) => ({ ...a })),
    skippedRows: b.skippedRows,
  };
}

/** Parses a cached value; throws (making it a cache miss) when it is not a complete entry. */
export function parseBarsEntry(value: unknown): BarsEntry {
  const e = entrySchema.parse(value);
  const n = e.ts.length;
  if (COLUMNS.some((c) => e[c].length !== n)) throw new Error('cached bars have columns of different lengths');
  return e;
}

export function decodeBars(e: BarsEntry): HistoricalBars {
  const series: BarSeries = {
    symbol: e.symbol,
    timeframe: e.timeframe,
    priceDecimals: e.priceDecimals,
    length: e.ts.length,
    ts: Float64Array.from(e.ts),
    open: Float64Array.from(e.open),
    high: Float64Array.from(e.high),
    low: Float64Array.from(e.low),
    close: Float64Array.from(e.close),
    volume: Float64Array.from(e.volume),
  };
  const corporateActions: CorporateAction[] = e.corporateActions;
  return { series, corporateActions, skippedRows: e.skippedRows };
}

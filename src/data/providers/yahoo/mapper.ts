// Yahoo chart result → raw BarSeries and corporate actions (DESIGN.md §8). Yahoo sends OHLC, volume and
// dividend amounts already split-adjusted to today, as float32-ish numbers (185.63999938964844); we undo
// the splits that follow each bar and round to the instrument's tick so the store holds traded prices.
// Daily and coarser bars are stamped by Yahoo at the session's open instant; we key them by trading date.

import { Pi5Error } from '../../../core/errors.js';
import { zoneOffsetMs } from '../../../core/tz.js';
import { allocateSeries, truncateSeries } from '../../../model/barSeries.js';
import { bucketStart, isDailyOrCoarser, type TimeframeSpec } from '../../../model/timeframe.js';
import type { CorporateAction, HistoricalBarRequest, HistoricalBars, SplitAction } from '../types.js';
import type { ChartResult } from './schema.js';

const DAY_MS = 86_400_000;

/** Maps an instant to its exchange-local trading date at 00:00 UTC. */
export type DayKeyer = (tsMs: number) => number;

/**
 * Prefers the IANA zone (correct across DST for old bars); meta.gmtoffset is only today's offset, so it is
 * the fallback when the zone is missing or unknown to this Node's ICU.
 */
export function dayKeyer(meta: ChartResult['meta']): DayKeyer {
  const zone = meta.exchangeTimezoneName;
  if (zone !== undefined) {
    try {
      zoneOffsetMs(0, zone);
      return (ts) => Math.floor((ts + zoneOffsetMs(ts, zone)) / DAY_MS) * DAY_MS;
    } catch {
      // RangeError: unknown zone; fall through to the fixed offset.
    }
  }
  const offsetMs = (meta.gmtoffset ?? 0) * 1000;
  return (ts) => Math.floor((ts + offsetMs) / DAY_MS) * DAY_MS;
}

function payloadError(label: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: ${message}`);
}

export function splitActions(result: ChartResult, symbol: string, day: DayKeyer): SplitAction[] {
  const out: SplitAction[] = [];
  for (const s of Object.values(result.events?.splits ?? {})) {
    out.push({ kind: 'split', symbol, ts: day(s.date * 1000), numerator: s.numerator, denominator: s.denominator });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Product of the ratios of splits going ex after trading date `dayMs`: Yahoo's adjusted × this = raw. */
function splitFactor(splits: readonly SplitAction[], dayMs: number): number {
  let f = 1;
  for (const s of splits) if (s.ts > dayMs) f *= s.numerator / s.denominator;
  return f;
}

function roundTo(x: number, decimals: number): number {
  const p = 10 ** decimals;
  return Math.round(x * p) / p;
}

function column(result: ChartResult, name: 'open' | 'high' | 'low' | 'close' | 'volume', n: number, label: string): ReadonlyArray<number | null> {
  const col = result.indicators.quote[0]?.[name];
  if (col === undefined) {
    if (n === 0) return [];
    throw payloadError(label, `indicators.quote[0].${name} is missing`);
  }
  if (col.length !== n) throw payloadError(label, `indicators.quote[0].${name} has ${col.length} entries, timestamp has ${n}`);
  return col;
}

export interface MapOptions {
  readonly label: string;
  readonly request: HistoricalBarRequest;
  readonly timeframe: TimeframeSpec;
  /** All splits known for the symbol, including those after the request's range. */
  readonly splits: readonly SplitAction[];
  readonly day: DayKeyer;
}

export function mapChart(result: ChartResult, o: MapOptions): HistoricalBars {
  const { label, request, timeframe: tf, day } = o;
  const stamps = result.timestamp ?? [];
  const n = stamps.length;
  const [open, high, low, close, volume] = (['open', 'high', 'low', 'close', 'volume'] as const).map((c) => column(result, c, n, label));
  const decimals = Math.min(8, result.meta.priceHint ?? 2);
  const daily = isDailyOrCoarser(tf);
  const s = allocateSeries(request.symbol, tf.text, n, decimals);
  let len = 0;
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const instant = (stamps[i] as number) * 1000;
    const ts = daily ? bucketStart(tf, day(instant)) : instant;
    // The request is widened by a day each side; rows outside the range are dropped before being judged.
    if (ts < request.from || ts > request.to) continue;
    const o1 = open?.[i], h1 = high?.[i], l1 = low?.[i], c1 = close?.[i];
    if (o1 == null || h1 == null || l1 == null || c1 == null) {
      skipped++;
      continue;
    }
    const prev = len > 0 ? (s.ts[len - 1] as number) : -Infinity;
    if (ts < prev) throw payloadError(label, `timestamp[${i}] ${new Date(instant).toISOString()} is before the previous bar`);
    // Yahoo sometimes repeats the latest session (its live row); the later row is the fresher one.
    const k = ts === prev ? len - 1 : len++;
    const f = splitFactor(o.splits, day(instant));
    s.ts[k] = ts;
    s.open[k] = roundTo(o1 * f, decimals);
    s.high[k] = roundTo(h1 * f, decimals);
    s.low[k] = roundTo(l1 * f, decimals);
    s.close[k] = roundTo(c1 * f, decimals);
    s.volume[k] = Math.round((volume?.[i] ?? 0) / f);
  }
  return { series: truncateSeries(s, len), corporateActions: actionsInRange(result, o), skippedRows: skipped };
}

function actionsInRange(result: ChartResult, o: MapOptions): CorporateAction[] {
  const { request, day } = o;
  const currency = result.meta.currency ?? 'USD';
  const all: CorporateAction[] = o.splits.filter((s) => s.symbol === request.symbol);
  for (const d of Object.values(result.events?.dividends ?? {})) {
    const ts = day(d.date * 1000);
    // Amounts come split-adjusted like prices; the 6 decimals keep fractional cents of small payers.
    all.push({ kind: 'dividend', symbol: request.symbol, ts, amount: roundTo(d.amount * splitFactor(o.splits, ts), 6), currency });
  }
  // Actions are keyed by date, so an intraday range starting mid-day still includes that day's actions.
  const first = Math.floor(request.from / DAY_MS) * DAY_MS;
  return all.filter((a) => a.ts >= first && a.ts <= request.to).sort((a, b) => a.ts - b.ts || a.kind.localeCompare(b.kind));
}

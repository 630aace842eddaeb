// GET /api/v1/bars (DESIGN.md §9): bars of one symbol from the store, or from the paper session's feed up to
// the step it has reached (a client must never see the replay's future), limited and in time order. Stored
// bars come as traded or adjusted on read (`adjust`), relative to the last bar returned.

import { Pi5Error } from '../../core/errors.js';
import { parseDateOption } from '../../core/dates.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { PriceAdjustment } from '../../model/priceAdjustment.js';
import { adjustStoredSeries } from '../../persistence/adjustedSeries.js';
import { parseTimeframe } from '../../model/timeframe.js';
import type { BarHistory } from '../../strategy/api.js';
import type { ApiContext } from '../context.js';

export interface BarsQuery {
  symbol: string;
  timeframe?: string;
  from?: string;
  to?: string;
  limit: number;
  adjust?: PriceAdjustment;
  format?: BarsFormat;
}

/**
 * `rows`: one object per bar (the original shape); `columns`: one array per field, about half the bytes and
 * parse time, for charts that page through 100k+ bars.
 */
export type BarsFormat = 'rows' | 'columns';
export const BARS_FORMATS: readonly BarsFormat[] = ['rows', 'columns'];
/** The most bars one answer carries: objects per bar are costly to build and parse, columns far less so. */
export const MAX_BARS: Readonly<Record<BarsFormat, number>> = { rows: 10_000, columns: 100_000 };

export interface BarJson {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface BarColumns {
  ts: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

interface BarsHead {
  symbol: string;
  timeframe: string;
  source: 'store' | 'session';
  /** What the bars hold: session bars are always as traded (a paper session has no corporate actions). */
  adjustment: PriceAdjustment;
  count: number;
}

/** The answer: `items` (rows) or `columns`, by the query's `format`. */
export type Bars = BarsHead & ({ items: BarJson[] } | { columns: BarColumns });

/** A date, an ISO time, or epoch ms (what charts send back after reading `ts`). */
function timeOf(name: string, text: string | undefined, endOfDay: boolean): number | null {
  if (text === undefined) return null;
  if (/^\d{1,15}$/.test(text.trim())) return Number(text.trim());
  return parseDateOption(name, text, endOfDay);
}

interface Range {
  readonly from: number | null;
  readonly to: number | null;
  readonly limit: number;
}

/**
 * The store reads whole ranges, so the range is first cut to `limit` bars with one look-up on the primary key:
 * the time of the limit-th bar from `from` (or back from `to`).
 */
async function storeBars(ctx: ApiContext, symbol: string, timeframe: string, r: Range, adjustment: PriceAdjustment): Promise<BarColumns> {
  const forward = r.from !== null;
  const edge = await ctx.bars.nthTime(symbol, timeframe, r.from, r.to, r.limit, forward);
  const from = forward || edge === undefined ? r.from : edge;
  const to = forward && edge !== undefined ? edge : r.to;
  const [series] = await ctx.bars.read({ symbols: [symbol], timeframe, ...(from === null ? {} : { from }), ...(to === null ? {} : { to }) });
  return series === undefined ? columnsOf([]) : seriesColumns(await adjustStoredSeries(ctx.db, series, adjustment), r.limit);
}

function seriesColumns(s: BarSeries, limit: number): BarColumns {
  const n = Math.min(s.length, limit);
  const col = (a: Float64Array): number[] => Array.from(a.subarray(0, n));
  return { ts: col(s.ts), open: col(s.open), high: col(s.high), low: col(s.low), close: col(s.close), volume: col(s.volume) };
}

function columnsOf(rows: readonly BarJson[]): BarColumns {
  return { ts: rows.map((b) => b.ts), open: rows.map((b) => b.open), high: rows.map((b) => b.high), low: rows.map((b) => b.low), close: rows.map((b) => b.close), volume: rows.map((b) => b.volume) };
}

function rowsOf(c: BarColumns): BarJson[] {
  const out = new Array<BarJson>(c.ts.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = { ts: c.ts[i] as number, open: c.open[i] as number, high: c.high[i] as number, low: c.low[i] as number, close: c.close[i] as number, volume: c.volume[i] as number };
  }
  return out;
}

function shaped(head: BarsHead, c: BarColumns, format: BarsFormat): Bars {
  // Stored bars are read as columns: rows are built only when asked for.
  return format === 'columns' ? { ...head, columns: c } : { ...head, items: rowsOf(c) };
}

/** The session history holds only bars already replayed (its length is the current step). */
function sessionBars(h: BarHistory, r: Range): BarJson[] {
  const out: BarJson[] = [];
  const at = (ago: number): BarJson => ({ ts: h.time(ago), open: h.open(ago), high: h.high(ago), low: h.low(ago), close: h.close(ago), volume: h.volume(ago) });
  if (r.from === null) {
    for (let ago = 0; ago < h.length && out.length < r.limit; ago++) {
      if (r.to === null || h.time(ago) <= r.to) out.push(at(ago));
    }
    return out.reverse();
  }
  for (let ago = h.length - 1; ago >= 0 && out.length < r.limit; ago--) {
    const t = h.time(ago);
    if (r.to !== null && t > r.to) break;
    if (t >= r.from) out.push(at(ago));
  }
  return out;
}

export async function readBars(ctx: ApiContext, q: BarsQuery): Promise<Bars> {
  const timeframe = q.timeframe ?? '1d';
  if (parseTimeframe(timeframe) === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe: ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`, { field: 'timeframe' });
  const format = q.format ?? 'rows';
  if (q.limit > MAX_BARS[format]) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `limit: ${q.limit} is over ${MAX_BARS[format]}, the most bars one answer carries as ${format}${format === 'rows' ? ` (format=columns takes up to ${MAX_BARS.columns})` : ''}`, { field: 'limit' });
  }
  const range: Range = { from: timeOf('from', q.from, false), to: timeOf('to', q.to, true), limit: q.limit };
  if (range.from !== null && range.to !== null && range.from > range.to) throw new Pi5Error('PI5_ERR_BAD_USAGE', `from ${q.from ?? ''} is after to ${q.to ?? ''}`, { field: 'from' });
  const raw = q.symbol.trim();
  const same = (s: string): boolean => s.toUpperCase() === raw.toUpperCase();
  // One primary-key probe (the symbol as given, then upper-case) instead of listing the whole store.
  const hit = await ctx.bars.storedSymbol([raw, raw.toUpperCase()], timeframe);
  if (hit !== undefined) {
    const adjustment = q.adjust ?? 'none';
    const c = await storeBars(ctx, hit, timeframe, range, adjustment);
    return shaped({ symbol: hit, timeframe, source: 'store', adjustment, count: c.ts.length }, c, format);
  }
  const stored = (await ctx.bars.list()).filter((s) => same(s.symbol));
  const market = ctx.session;
  const sessionSymbol = market.symbols().find(same);
  if (sessionSymbol !== undefined && timeframe === ctx.session.baseTimeframe.text) {
    const items = sessionBars(market.history(sessionSymbol), range);
    const head: BarsHead = { symbol: sessionSymbol, timeframe, source: 'session', adjustment: 'none', count: items.length };
    return format === 'columns' ? { ...head, columns: columnsOf(items) } : { ...head, items };
  }
  const have = [...stored.map((s) => s.timeframe), ...(sessionSymbol === undefined ? [] : [`${ctx.session.baseTimeframe.text} (paper session)`])];
  throw new Pi5Error('PI5_ERR_NOT_FOUND', `no ${timeframe} bars of ${raw}${have.length > 0 ? ` (available: ${have.join(', ')})` : ' in the store or the paper session'}`, { symbol: raw, timeframe });
}

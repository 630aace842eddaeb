// GET /api/v1/bars (DESIGN.md §9): bars of one symbol from the store, or from the paper session's feed up to
// the step it has reached (a client must never see the replay's future), limited and in time order. Stored
// bars come as traded or adjusted on read (`adjust`), relative to the last bar returned.

import { Pi5Error } from '../../core/errors.js';
import { parseDateOption } from '../../core/dates.js';
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

/** At most `limit` stored bars: the first ones from `from`, else the last ones up to `to`. */
async function storeBars(ctx: ApiContext, symbol: string, timeframe: string, r: Range, adjustment: PriceAdjustment): Promise<Columns> {
  const series = await ctx.bars.readLimited(symbol, timeframe, r.from, r.to, r.limit, r.from !== null);
  return series === undefined ? columnsOf([]) : await adjustStoredSeries(ctx.db, series, adjustment);
}

/** Bars one array per field: the store's typed arrays as read (no copy), or plain arrays. */
type Columns = { readonly [K in keyof BarColumns]: Float64Array | number[] };

function columnsOf(rows: readonly BarJson[]): Columns {
  return { ts: rows.map((b) => b.ts), open: rows.map((b) => b.open), high: rows.map((b) => b.high), low: rows.map((b) => b.low), close: rows.map((b) => b.close), volume: rows.map((b) => b.volume) };
}

function rowsOf(c: Columns): BarJson[] {
  const out = new Array<BarJson>(c.ts.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = { ts: c.ts[i] as number, open: c.open[i] as number, high: c.high[i] as number, low: c.low[i] as number, close: c.close[i] as number, volume: c.volume[i] as number };
  }
  return out;
}

/**
 * A number array as JSON without building a JS array or walking it with JSON.stringify (100k-bar answers spent
 * most of their time and garbage there): `join` writes finite numbers exactly as JSON does. Stored bars are
 * finite (checked on import); anything else takes the slow path, where a non-finite number becomes null.
 */
function numbersJson(a: Float64Array | number[]): string {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return JSON.stringify(Array.from(a, (x) => (Number.isFinite(x) ? x : null)));
  return `[${a.join(',')}]`;
}

const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The answer's JSON text: rows as objects, or columns written straight from their arrays. */
function answerJson(head: BarsHead, c: Columns, format: BarsFormat): string {
  if (format === 'rows') return JSON.stringify({ ...head, items: rowsOf(c) });
  const columns = FIELDS.map((f) => `"${f}":${numbersJson(c[f])}`).join(',');
  return `${JSON.stringify(head).slice(0, -1)},"columns":{${columns}}}`;
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

/** The bars a query asks for, as the JSON text of `Bars` (written here: the route sends it as is). */
export async function readBars(ctx: ApiContext, q: BarsQuery): Promise<{ source: Bars['source']; json: string }> {
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
    return { source: 'store', json: answerJson({ symbol: hit, timeframe, source: 'store', adjustment, count: c.ts.length }, c, format) };
  }
  const stored = (await ctx.bars.list()).filter((s) => same(s.symbol));
  const market = ctx.session;
  const sessionSymbol = market.symbols().find(same);
  if (sessionSymbol !== undefined && timeframe === ctx.session.baseTimeframe.text) {
    const items = sessionBars(market.history(sessionSymbol), range);
    const head: BarsHead = { symbol: sessionSymbol, timeframe, source: 'session', adjustment: 'none', count: items.length };
    return { source: 'session', json: format === 'columns' ? answerJson(head, columnsOf(items), format) : JSON.stringify({ ...head, items }) };
  }
  const have = [...stored.map((s) => s.timeframe), ...(sessionSymbol === undefined ? [] : [`${ctx.session.baseTimeframe.text} (paper session)`])];
  throw new Pi5Error('PI5_ERR_NOT_FOUND', `no ${timeframe} bars of ${raw}${have.length > 0 ? ` (available: ${have.join(', ')})` : ' in the store or the paper session'}`, { symbol: raw, timeframe });
}

// Alpaca payloads → our model (DESIGN.md §8). Intraday bars are stamped by Alpaca at their open in UTC and
// kept; daily bars are stamped at New York midnight (04:00Z in summer, 05:00Z in winter), weekly and
// monthly ones at their first day's midnight, so we key them by that New York date at 00:00 UTC.

import { Pi5Error } from '../../../core/errors.js';
import { zoneOffsetMs } from '../../../core/tz.js';
import { allocateSeries, truncateSeries, type BarSeries } from '../../../model/barSeries.js';
import { bucketStart, isDailyOrCoarser, type TimeframeSpec } from '../../../model/timeframe.js';
import type { Bar, Quote, Trade } from '../../../model/types.js';
import { rfc3339Ms, type RestBar, type StreamBar, type StreamQuote, type StreamTrade } from './schema.js';

const DAY_MS = 86_400_000;
/** Alpaca serves US equities only; its daily bars follow the New York session calendar. */
export const ALPACA_TIME_ZONE = 'America/New_York';

/** Our timeframe → Alpaca's (`[1-59]Min`, `[1-23]Hour`, `1Day`, `1Week`, `[1,2,3,4,6,12]Month`), or null. */
export function alpacaTimeframe(tf: TimeframeSpec): string | null {
  switch (tf.unit) {
    case 'm':
      return tf.count <= 59 ? `${tf.count}Min` : null;
    case 'h':
      return tf.count <= 23 ? `${tf.count}Hour` : null;
    case 'd':
      return tf.count === 1 ? '1Day' : null;
    case 'w':
      return tf.count === 1 ? '1Week' : null;
    case 'M':
      return [1, 2, 3, 4, 6, 12].includes(tf.count) ? `${tf.count}Month` : null;
    default:
      return null;
  }
}

/** New York trading date of an instant, at 00:00 UTC. */
export function newYorkDay(tsMs: number): number {
  return Math.floor((tsMs + zoneOffsetMs(tsMs, ALPACA_TIME_ZONE)) / DAY_MS) * DAY_MS;
}

/** Decimal places of a JSON number as sent (388.985 → 3). */
function decimalsOf(x: number): number {
  const s = String(x);
  const e = /e-(\d+)$/.exec(s);
  if (e !== null) return Number(e[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

export interface RestMapOptions {
  readonly label: string;
  readonly symbol: string;
  readonly timeframe: TimeframeSpec;
  /** Inclusive range, epoch ms, applied after keying. */
  readonly from: number;
  readonly to: number;
}

/** Raw bars (adjustment=raw) into a series; the tick is the most decimals seen, 2 to 8 (sub-dollar stocks trade in 4). */
export function mapRestBars(bars: readonly RestBar[], o: RestMapOptions): BarSeries {
  const daily = isDailyOrCoarser(o.timeframe);
  let decimals = 2;
  for (const b of bars) decimals = Math.max(decimals, decimalsOf(b.o), decimalsOf(b.h), decimalsOf(b.l), decimalsOf(b.c));
  const s = allocateSeries(o.symbol, o.timeframe.text, bars.length, Math.min(8, decimals));
  let len = 0;
  bars.forEach((b, i) => {
    const instant = rfc3339Ms(b.t);
    const ts = daily ? bucketStart(o.timeframe, newYorkDay(instant)) : instant;
    if (ts < o.from || ts > o.to) return;
    const prev = len > 0 ? (s.ts[len - 1] as number) : -Infinity;
    if (ts < prev) throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${o.label}: bars[${i}].t ${b.t} is before the previous bar`);
    // Pages never overlap, but if a bar repeats, the later one is the fresher.
    const k = ts === prev ? len - 1 : len++;
    s.ts[k] = ts;
    s.open[k] = b.o;
    s.high[k] = b.h;
    s.low[k] = b.l;
    s.close[k] = b.c;
    s.volume[k] = b.v;
  });
  return truncateSeries(s, len);
}

/** A stream minute bar ('bars' channel): the minute's open instant, sent just after the minute closes. */
export function streamBar(m: StreamBar): Bar {
  return { symbol: m.S, timeframe: '1m', ts: rfc3339Ms(m.t), open: m.o, high: m.h, low: m.l, close: m.c, volume: m.v };
}

/** A stream daily bar ('dailyBars' channel), keyed by its New York date at 00:00 UTC like the historical ones. */
export function streamDailyBar(m: StreamBar): Bar {
  return { symbol: m.S, timeframe: '1d', ts: newYorkDay(rfc3339Ms(m.t)), open: m.o, high: m.h, low: m.l, close: m.c, volume: m.v };
}

/** Sizes as Alpaca sends them (its docs give quote sizes in round lots). */
export function streamQuote(m: StreamQuote): Quote {
  return { symbol: m.S, ts: rfc3339Ms(m.t), bid: m.bp, ask: m.ap, bidSize: m.bs, askSize: m.as };
}

export function streamTrade(m: StreamTrade): Trade {
  return {
    symbol: m.S,
    ts: rfc3339Ms(m.t),
    price: m.p,
    size: m.s,
    ...(m.x === undefined ? {} : { exchange: m.x }),
    ...(m.i === undefined ? {} : { id: String(m.i) }),
  };
}

// Bars shared with worker threads without copying: the six columns of a series are laid into one
// SharedArrayBuffer once, and each worker views them as Float64Arrays (a BarSeries again, no copy).

import type { BarSeries } from '../model/barSeries.js';
import type { Timeframe } from '../model/types.js';

export interface SharedSeries {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly priceDecimals: number;
  readonly length: number;
  /** ts, open, high, low, close, volume, one after another. */
  readonly buffer: SharedArrayBuffer;
}

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export function shareSeries(s: BarSeries): SharedSeries {
  const buffer = new SharedArrayBuffer(s.length * 8 * COLUMNS.length);
  COLUMNS.forEach((c, k) => new Float64Array(buffer, k * s.length * 8, s.length).set(s[c]));
  return { symbol: s.symbol, timeframe: s.timeframe, priceDecimals: s.priceDecimals, length: s.length, buffer };
}

export function viewSeries(sh: SharedSeries): BarSeries {
  const col = (k: number): Float64Array => new Float64Array(sh.buffer, k * sh.length * 8, sh.length);
  return { symbol: sh.symbol, timeframe: sh.timeframe, priceDecimals: sh.priceDecimals, length: sh.length, ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

// A series and a strategy built so the best parameters are known exactly: closes fall to a trough at bar
// TROUGH, rise by 1 a bar to a peak at bar PEAK, then fall; the strategy buys at the close of bar `entry`
// and sells at the close of bar `entry + hold` (fills at the next open, which equals that close). Its net
// profit is 100 × (close[entry + hold] − close[entry]), largest only at entry = TROUGH, hold = PEAK − TROUGH.

import { allocateSeries, type BarSeries } from '../../../src/model/barSeries.js';
import { defineStrategy } from '../../../src/strategy/api.js';

export const TROUGH = 50;
export const PEAK = 150;
export const BARS = 260;
const DAY = 86_400_000;

export function closeAt(i: number): number {
  if (i <= TROUGH) return 150 - i;
  if (i <= PEAK) return 100 + (i - TROUGH);
  return 200 - 0.5 * (i - PEAK);
}

export function peakSeries(bars = BARS): BarSeries {
  return seriesOfCloses('PEAK', Array.from({ length: bars }, (_, i) => closeAt(i)), Date.UTC(2020, 0, 1), 2);
}

/** Daily bars (every calendar day from `start`) with these closes, each opening at the previous close. */
export function seriesOfCloses(symbol: string, closes: readonly number[], start: number, decimals: number): BarSeries {
  const s = allocateSeries(symbol, '1d', closes.length, decimals);
  closes.forEach((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    s.ts[i] = start + i * DAY;
    s.open[i] = o;
    s.close[i] = c;
    s.high[i] = Math.max(o, c);
    s.low[i] = Math.min(o, c);
    s.volume[i] = 1_000_000;
  });
  return s;
}

export const windowStrategy = defineStrategy({
  id: 'window',
  name: 'Entry/hold window',
  description: 'buys at bar entry, sells hold bars later',
  params: {
    entry: { type: 'int', default: 0, min: 0, max: 10_000, description: 'bar index of the entry decision' },
    hold: { type: 'int', default: 1, min: 1, max: 10_000, description: 'bars held' },
    qty: { type: 'number', default: 100, min: 1, description: 'shares' },
  },
  create(p) {
    let i = -1;
    return {
      onBar(bar, ctx) {
        i++;
        if (i === p.entry) ctx.buy(bar.symbol, p.qty);
        if (i === p.entry + p.hold && ctx.position(bar.symbol) > 0) ctx.close(bar.symbol);
      },
    };
  },
});

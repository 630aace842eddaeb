// BarSeries → CSV text (Date,Open,High,Low,Close,Volume) that parseBarsCsv reads back to identical arrays.

import type { BarSeries } from '../../model/barSeries.js';
import { isDailyOrCoarser, parseTimeframe } from '../../model/timeframe.js';

export interface WriteBarsCsvOptions {
  /**
   * Most decimals a price may need (adjusted series carry more than their tick: data/adjust.ts); a price is written
   * with as many of them as it uses, never fewer than the series' priceDecimals. Default: priceDecimals.
   */
  readonly maxDecimals?: number;
}

/** `x` with `max` decimals, trailing zeros dropped down to `min` decimals. */
function formatPrice(x: number, min: number, max: number): string {
  const text = x.toFixed(max);
  if (max <= min) return text;
  let end = text.length;
  const floor = text.length - (max - min);
  while (end > floor && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, min === 0 && end === floor ? end - 1 : end);
}

/**
 * Daily and coarser bars are written as their UTC date (YYYY-MM-DD), intraday bars as
 * 'YYYY-MM-DD HH:MM:SS' in UTC (milliseconds dropped); prices carry `priceDecimals` decimals (or more, up to
 * `maxDecimals`, where they need them). Round-trips exactly when prices are rounded to the decimals written.
 */
export function writeBarsCsv(series: BarSeries, opts: WriteBarsCsvOptions = {}): string {
  const spec = parseTimeframe(series.timeframe);
  const dateOnly = spec === null || isDailyOrCoarser(spec);
  const d = series.priceDecimals;
  const max = Math.max(d, opts.maxDecimals ?? d);
  const px = (x: number): string => formatPrice(x, d, max);
  const lines: string[] = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < series.length; i++) {
    const iso = new Date(series.ts[i] as number).toISOString();
    const date = dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    lines.push(
      `${date},${px(series.open[i] as number)},${px(series.high[i] as number)},` +
        `${px(series.low[i] as number)},${px(series.close[i] as number)},${String(series.volume[i])}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

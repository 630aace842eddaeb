// BarSeries → CSV text (Date,Open,High,Low,Close,Volume) that parseBarsCsv reads back to identical arrays.

import type { BarSeries } from '../../model/barSeries.js';
import { isDailyOrCoarser, parseTimeframe } from '../../model/timeframe.js';

/**
 * Daily and coarser bars are written as their UTC date (YYYY-MM-DD), intraday bars as
 * 'YYYY-MM-DD HH:MM:SS' in UTC (milliseconds dropped); prices carry exactly `priceDecimals` decimals.
 * Round-trips exactly when prices are already rounded to `priceDecimals` (as parsed or synthetic ones are).
 */
export function writeBarsCsv(series: BarSeries): string {
  const spec = parseTimeframe(series.timeframe);
  const dateOnly = spec === null || isDailyOrCoarser(spec);
  const d = series.priceDecimals;
  const lines: string[] = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < series.length; i++) {
    const iso = new Date(series.ts[i] as number).toISOString();
    const date = dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    lines.push(
      `${date},${(series.open[i] as number).toFixed(d)},${(series.high[i] as number).toFixed(d)},` +
        `${(series.low[i] as number).toFixed(d)},${(series.close[i] as number).toFixed(d)},${String(series.volume[i])}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

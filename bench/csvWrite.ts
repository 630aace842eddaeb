// Benchmark: barsCsvBlocks (what `pi5 data export` writes) on 1,000,000 generated 1-minute bars, against the
// per-row approach it replaced (toISOString + toFixed template strings, joined), measured in the same run.

import { barsCsvBlocks } from '../src/data/csv/index.js';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import type { BarSeries } from '../src/model/barSeries.js';
import { bestMs, rate, type BenchRecord } from './measure.js';

const ROWS = 1_000_000;

function perRowStrings(s: BarSeries): number {
  const d = s.priceDecimals;
  const lines: string[] = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < s.length; i++) {
    const iso = new Date(s.ts[i] as number).toISOString();
    lines.push(
      `${iso.slice(0, 10)} ${iso.slice(11, 19)},${(s.open[i] as number).toFixed(d)},${(s.high[i] as number).toFixed(d)},` +
        `${(s.low[i] as number).toFixed(d)},${(s.close[i] as number).toFixed(d)},${String(s.volume[i])}`,
    );
  }
  return `${lines.join('\n')}\n`.length;
}

function blocks(s: BarSeries): number {
  let bytes = 0;
  for (const b of barsCsvBlocks(s)) bytes += b.length;
  return bytes;
}

export function benchCsvWrite(): BenchRecord {
  const series = generateSyntheticBars({ symbol: 'SYN', bars: ROWS, seed: 42, timeframe: '1m' });
  const ours = bestMs(3, () => blocks(series));
  const base = bestMs(3, () => perRowStrings(series));
  return {
    ...rate('csv.write.blocks', ROWS / (ours / 1000), ROWS / (base / 1000), 'rows/s', 'baseline: per-row toISOString/toFixed strings joined into one text (the export before issue 15)'),
    command: 'npm run bench -- csv',
  };
}

// Seeded synthetic bars: a geometric random walk with realistic OHLC, so demos and tests ship their own data
// and every run is a pure function of its seed.

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { allocateSeries, type BarSeries } from '../model/barSeries.js';
import { bucketEnd, bucketStart, isDailyOrCoarser, parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';

export { writeBarsCsv } from './csv/writeBarsCsv.js';

export interface SyntheticBarsOptions {
  readonly symbol: string;
  readonly bars: number;
  readonly seed: number;
  /** First bar's time in epoch ms (default 2020-01-01); daily bars snap to the next weekday at 00:00 UTC. */
  readonly start?: number;
  /** Default '1d'. */
  readonly timeframe?: string;
  /** Default 100. */
  readonly startPrice?: number;
  /** Default 2; every price is a multiple of 10^-priceDecimals. */
  readonly priceDecimals?: number;
}

const DAY_MS = 86_400_000;
/** Daily volatility and drift of the walk; other timeframes scale volatility by √(bar length). */
const DAILY_SIGMA = 0.02;
const DAILY_DRIFT = 0.0002;
const DAILY_VOLUME = 1_000_000;

function invalid(field: string, value: unknown, why: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `synthetic bars: ${field} ${String(value)} ${why}`, { field, value });
}

function checkedSpec(opts: SyntheticBarsOptions): { spec: TimeframeSpec; decimals: number; startPrice: number } {
  const spec = parseTimeframe(opts.timeframe ?? '1d');
  if (spec === null) throw invalid('timeframe', opts.timeframe, 'is not a timeframe');
  if (!Number.isSafeInteger(opts.bars) || opts.bars < 0) throw invalid('bars', opts.bars, 'must be a whole number ≥ 0');
  const decimals = opts.priceDecimals ?? 2;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 8) throw invalid('priceDecimals', decimals, 'must be 0–8');
  const startPrice = opts.startPrice ?? 100;
  if (!(startPrice > 0)) throw invalid('startPrice', startPrice, 'must be positive');
  return { spec, decimals, startPrice };
}

function isWeekend(ts: number): boolean {
  const weekday = new Date(ts).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Bar open times: weekdays at 00:00 UTC for daily bars, calendar buckets for weeks and months, else every interval. */
function fillTimes(ts: Float64Array, spec: TimeframeSpec, start: number): void {
  if (ts.length === 0) return;
  const calendar = isDailyOrCoarser(spec);
  const daily = spec.unit === 'd';
  let t = calendar ? bucketStart(spec, start) : start;
  if (t < start) t = bucketEnd(spec, t); // the first whole bucket at or after `start`
  for (let i = 0; i < ts.length; i++) {
    while (daily && isWeekend(t)) t += DAY_MS;
    ts[i] = t;
    t = calendar ? bucketEnd(spec, t) : t + spec.ms;
  }
}

export function generateSyntheticBars(opts: SyntheticBarsOptions): BarSeries {
  const { spec, decimals, startPrice } = checkedSpec(opts);
  const series = allocateSeries(opts.symbol, spec.text, opts.bars, decimals);
  fillTimes(series.ts, spec, opts.start ?? Date.UTC(2020, 0, 1));

  const rng = new SeededRng(opts.seed);
  const scale = 10 ** decimals;
  const tick = 1 / scale;
  // Rounding is monotonic, so high ≥ max(open, close) and low ≤ min(open, close) survive it.
  const round = (x: number): number => Math.max(tick, Math.round(x * scale) / scale);
  const barDays = spec.ms / DAY_MS;
  const sigma = DAILY_SIGMA * Math.sqrt(barDays);
  const drift = DAILY_DRIFT * barDays;
  const baseVolume = Math.max(100, DAILY_VOLUME * barDays);

  let previousClose = round(startPrice);
  for (let i = 0; i < opts.bars; i++) {
    const open = round(previousClose * Math.exp(0.2 * sigma * rng.normal()));
    const close = round(open * Math.exp(drift + sigma * rng.normal()));
    const high = round(Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(rng.normal())));
    const low = round(Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(rng.normal())));
    series.open[i] = open;
    series.high[i] = high;
    series.low[i] = low;
    series.close[i] = close;
    series.volume[i] = Math.max(1, Math.round(baseVolume * Math.exp(0.5 * rng.normal())));
    previousClose = close;
  }
  return series;
}

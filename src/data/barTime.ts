// Which instant a file's bar timestamps name: the bar's open (our key, DESIGN.md) or its close, as many vendors
// label intraday bars. Close-labelled bars are moved back by one bar on read, so both give the same keys.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { isDailyOrCoarser, parseTimeframe } from '../model/timeframe.js';

export type BarTimeLabel = 'open' | 'close';

export const BAR_TIME_LABELS: readonly BarTimeLabel[] = ['open', 'close'];

/** `--bar-time open|close` (default open); anything else is bad usage naming the flag. */
export function parseBarTime(text: string | undefined, flag = '--bar-time'): BarTimeLabel {
  if (text === undefined || text === 'open') return 'open';
  if (text === 'close') return 'close';
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `${flag} ${text}: give open (timestamps are bar opens, the default) or close (bar ends)`);
}

/**
 * The series keyed by bar open. Close-labelled intraday bars move back by one timeframe; daily and coarser
 * files carry trading dates, which are the same whichever end a vendor means, so they are refused with close
 * rather than moved to the previous day.
 */
export function toOpenTime<S extends BarSeries>(series: S, label: BarTimeLabel, flag = '--bar-time'): S {
  if (label === 'open') return series;
  const tf = parseTimeframe(series.timeframe);
  if (tf === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${flag} close: unknown timeframe ${series.timeframe} of ${series.symbol}`);
  if (isDailyOrCoarser(tf)) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `${flag} close: applies to intraday bars; ${series.symbol} has ${series.timeframe} bars, which are keyed by trading date`);
  }
  const ts = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) ts[i] = (series.ts[i] as number) - tf.ms;
  return { ...series, ts };
}

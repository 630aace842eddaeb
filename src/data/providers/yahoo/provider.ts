// Yahoo Finance historical bars: maps our timeframe to Yahoo's interval, widens daily requests by a day
// each side (sessions east of UTC open on the previous UTC date), and looks ahead for later splits,
// because Yahoo adjusts every price for all splits up to today and we store raw prices.

import { Pi5Error } from '../../../core/errors.js';
import { parseTimeframe } from '../../../model/timeframe.js';
import type { RetryPolicy } from '../http.js';
import type { HistoricalBarProvider, HistoricalBarRequest, HistoricalBars, SplitAction } from '../types.js';
import { YahooChartApi } from './api.js';
import { dayKeyer, mapChart, splitActions } from './mapper.js';

const DAY_S = 86_400;

/** Our timeframe → Yahoo's interval. Yahoo has no 4h, 2h or 1d+ multiples other than these. */
const INTERVALS: Readonly<Record<string, string>> = {
  '1m': '1m',
  '2m': '2m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '90m': '90m',
  '1h': '60m',
  '1d': '1d',
  '1w': '1wk',
  '1M': '1mo',
  '3M': '3mo',
};

export const YAHOO_TIMEFRAMES = Object.keys(INTERVALS);

export interface YahooProviderOptions {
  readonly baseUrl?: string;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock for the split look-ahead (epoch ms). */
  readonly now?: () => number;
}

export class YahooProvider implements HistoricalBarProvider {
  readonly name = 'yahoo';
  private readonly api: YahooChartApi;
  private readonly now: () => number;

  constructor(opts: YahooProviderOptions = {}) {
    this.api = new YahooChartApi(opts);
    this.now = opts.now ?? Date.now;
  }

  async fetchBars(req: HistoricalBarRequest): Promise<HistoricalBars> {
    const tf = parseTimeframe(req.timeframe);
    const interval = INTERVALS[req.timeframe];
    if (tf === null || interval === undefined) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `yahoo ${req.symbol}: timeframe ${JSON.stringify(req.timeframe)} is not offered by Yahoo (one of ${YAHOO_TIMEFRAMES.join(', ')})`);
    }
    if (req.to < req.from) throw new Pi5Error('PI5_ERR_BAD_USAGE', `yahoo ${req.symbol}: --to ${new Date(req.to).toISOString()} is before --from`);
    const daily = interval.endsWith('d') || interval.endsWith('wk') || interval.endsWith('mo');
    const pad = daily ? DAY_S : 0;
    const period1 = Math.floor(req.from / 1000) - pad;
    const period2 = Math.floor(req.to / 1000) + 1 + pad;
    const result = await this.api.chart({ symbol: req.symbol, interval, period1, period2, events: 'div,splits' });
    const day = dayKeyer(result.meta);
    const splits = splitActions(result, req.symbol, day);
    const nowS = Math.floor(this.now() / 1000);
    if (period2 < nowS) splits.push(...(await this.laterSplits(req.symbol, period2, nowS, day)));
    const unique = dedupe(splits);
    return mapChart(result, { label: `yahoo ${req.symbol}`, request: req, timeframe: tf, splits: unique, day });
  }

  /** Splits between the range's end and now, from a coarse (monthly) request that carries few rows. */
  private async laterSplits(symbol: string, period1: number, period2: number, day: (ts: number) => number): Promise<SplitAction[]> {
    const r = await this.api.chart({ symbol, interval: '1mo', period1, period2, events: 'splits' });
    return splitActions(r, symbol, day);
  }
}

function dedupe(splits: readonly SplitAction[]): SplitAction[] {
  const seen = new Map<number, SplitAction>();
  for (const s of splits) seen.set(s.ts, s);
  return [...seen.values()].sort((a, b) => a.ts - b.ts);
}

/** The provider as configured by the environment (DESIGN.md §13: YAHOO_BASE_URL). */
export function yahooFromEnv(env: NodeJS.ProcessEnv = process.env): YahooProvider {
  const base = env.YAHOO_BASE_URL;
  return new YahooProvider(base === undefined || base === '' ? {} : { baseUrl: base });
}

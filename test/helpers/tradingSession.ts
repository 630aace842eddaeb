// A small (paper) trading session over seeded synthetic data, shared by the session's unit and storage tests.

import { createLogger } from '../../src/core/log.js';
import { generateSyntheticBars } from '../../src/data/synthetic.js';
import type { BarSeries } from '../../src/model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../../src/model/timeframe.js';
import type { Instrument } from '../../src/model/types.js';
import { TradingSession, type TradingSessionConfig } from '../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../src/engine/live/replayFeed.js';
import type { TradingSessionStore } from '../../src/engine/live/sessionStore.js';
import { findBuiltin } from '../../src/strategy/registry.js';

export const TF = parseTimeframe('1d') as TimeframeSpec;
const log = createLogger('error');

export function demoSeries(bars = 400): BarSeries[] {
  return [
    generateSyntheticBars({ symbol: 'AAA', seed: 11, bars, startPrice: 50 }),
    generateSyntheticBars({ symbol: 'BBB', seed: 12, bars, startPrice: 80 }),
  ];
}

export function config(id: string): TradingSessionConfig {
  return {
    id,
    cash: 100_000,
    size: '30%',
    commission: 'per-share:0.005:min=1',
    slippage: 'bps:2',
    strategies: [{ id: 'sma', strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['AAA', 'BBB'] }],
    feed: { kind: 'test', bars: 400 },
  };
}

export async function openSession(store: TradingSessionStore, id = 's1', series = demoSeries(), storageRetryMaxMs?: number): Promise<TradingSession> {
  const instruments: Instrument[] = series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
  return TradingSession.open({
    config: config(id),
    feed: new ReplayFeed(series),
    instruments,
    baseTimeframe: TF,
    store,
    resolveStrategy: (ref) => findBuiltin(ref),
    log,
    stepIntervalMs: 0,
    ...(storageRetryMaxMs === undefined ? {} : { storageRetryMaxMs }),
  });
}


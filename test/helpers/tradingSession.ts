// A small (paper) trading session over seeded synthetic data, shared by the session's unit and storage tests.

import { createLogger } from '../../src/core/log.js';
import { generateSyntheticBars } from '../../src/data/synthetic.js';
import type { BarSeries } from '../../src/model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../../src/model/timeframe.js';
import type { Instrument } from '../../src/model/types.js';
import { TradingSession, type TradingSessionConfig } from '../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../src/engine/live/replayFeed.js';
import type { TradingSessionStore } from '../../src/engine/live/sessionStore.js';
import type { SessionBroker } from '../../src/execution/venues/brokerVenue.js';
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

export function instrumentsOf(series: readonly BarSeries[]): Instrument[] {
  return series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
}

export interface SessionSetup {
  readonly store: TradingSessionStore;
  readonly config: TradingSessionConfig;
  readonly series?: BarSeries[];
  /** Trade at this broker (and these standbys) instead of the simulated exchange. */
  readonly broker?: SessionBroker;
  readonly failover?: readonly SessionBroker[];
  readonly storageRetryMaxMs?: number;
  /** Waits between attempts to reach a broker unreachable at start. */
  readonly brokerRetry?: { readonly baseMs: number; readonly maxMs: number };
}

/** A session replaying `series` (the demo pair by default) and stepped by hand (`advance`). */
export async function openSessionWith(o: SessionSetup): Promise<TradingSession> {
  const series = o.series ?? demoSeries();
  return TradingSession.open({
    config: o.config,
    feed: new ReplayFeed(series),
    instruments: instrumentsOf(series),
    baseTimeframe: TF,
    store: o.store,
    resolveStrategy: (ref) => findBuiltin(ref),
    log,
    stepIntervalMs: 0,
    ...(o.storageRetryMaxMs === undefined ? {} : { storageRetryMaxMs: o.storageRetryMaxMs }),
    ...(o.broker === undefined ? {} : { broker: o.broker }),
    ...(o.failover === undefined ? {} : { failover: o.failover }),
    ...(o.brokerRetry === undefined ? {} : { brokerRetry: o.brokerRetry }),
  });
}

export async function openSession(store: TradingSessionStore, id = 's1', series = demoSeries(), storageRetryMaxMs?: number): Promise<TradingSession> {
  return openSessionWith({ store, config: config(id), series, ...(storageRetryMaxMs === undefined ? {} : { storageRetryMaxMs }) });
}

// The node's trading session definition from the server config: its strategies (by default the demo SMA crossover
// on every symbol), cash, costs, risk and allocation, over replayed bars (by default seeded daily bars of three
// symbols the project generates itself) or over live market data. Without a config file the definition is exactly
// the one sessions stored before there was a file, so they reopen.

import { Pi5Error } from '../core/errors.js';
import { EndlessSyntheticFeed } from '../engine/live/endlessSyntheticFeed.js';
import { ReplayFeed } from '../engine/live/replayFeed.js';
import type { StrategyInstanceConfig } from '../engine/live/sessionActions.js';
import type { TradingSessionConfig } from '../engine/live/tradingSession.js';
import type { BarSeries } from '../model/barSeries.js';
import { isDailyOrCoarser, parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import type { Instrument } from '../model/types.js';
import type { ServerConfig } from '../config/serverConfig.js';
import type { LiveWiring } from './liveWiring.js';

export const DEMO_SYMBOLS = [
  { symbol: 'DEMOA', seed: 1, startPrice: 50 },
  { symbol: 'DEMOB', seed: 2, startPrice: 120 },
  { symbol: 'DEMOC', seed: 3, startPrice: 30 },
] as const;

/** Bars to replay instead of the generated sample data (`pi5 serve --replay-data/--replay-symbols`). */
export interface ReplaySource {
  readonly series: readonly BarSeries[];
  /** How the series were chosen (stored with the session and compared when it is reopened). */
  readonly description: Readonly<Record<string, unknown>>;
}

/** What the node needs to open a session: its config, where its steps come from, its instruments and timeframe. */
export interface SessionSetup<Feed> {
  readonly session: TradingSessionConfig;
  readonly feed: Feed;
  readonly instruments: Instrument[];
  readonly timeframe: TimeframeSpec;
}

/** The demo session's strategy, when the config file names none: an SMA crossover on every replayed symbol. */
function demoStrategy(symbols: readonly string[]): StrategyInstanceConfig {
  return { id: 'sma-demo', strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols };
}

/** The configured strategies, each on its symbols (default every replayed one), which must be replayed. */
function sessionStrategies(paper: ServerConfig['paper'], symbols: readonly string[]): StrategyInstanceConfig[] {
  if (paper.strategies === undefined) return [demoStrategy(symbols)];
  return paper.strategies.map((s, i) => {
    const missing = (s.symbols ?? []).filter((x) => !symbols.includes(x));
    if (missing.length > 0) {
      throw new Pi5Error('PI5_ERR_BAD_CONFIG', `session.strategies[${i}].symbols: ${missing.join(', ')} not in the replayed data (${symbols.join(', ')})`);
    }
    return { id: s.id, strategy: s.strategy, params: s.params, symbols: s.symbols ?? symbols, ...(s.size === undefined ? {} : { size: s.size }) };
  });
}

function sessionConfig(config: ServerConfig, symbols: readonly string[], feed: unknown): TradingSessionConfig {
  const p = config.paper;
  return {
    id: config.sessionId,
    cash: p.cash,
    size: p.size,
    commission: p.commission,
    slippage: p.slippage,
    ...(p.risk === undefined ? {} : { risk: p.risk }),
    ...(p.allocation === undefined ? {} : { allocation: p.allocation }),
    ...(p.positions === undefined ? {} : { positions: p.positions }),
    strategies: sessionStrategies(p, symbols),
    feed,
  };
}

/** The session as configured (the file's `session` section) over the replayed data, by default the generated sample. */
export function replaySession(config: ServerConfig, replay: ReplaySource | undefined): SessionSetup<ReplayFeed | EndlessSyntheticFeed> {
  // The demo never runs out: its walk rolls on past `bars` (the description stays, so stored demos reopen).
  if (replay === undefined) return demoSession(config);
  const feedConfig = replay.description;
  const series = replay.series;
  const first = series[0];
  if (first === undefined) throw new Pi5Error('PI5_ERR_NO_DATA', 'nothing to replay: no series');
  const timeframe = parseTimeframe(first.timeframe);
  if (timeframe === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown timeframe ${first.timeframe}`);
  const intraday = !isDailyOrCoarser(timeframe);
  return {
    session: sessionConfig(config, series.map((s) => s.symbol), feedConfig),
    feed: new ReplayFeed(series),
    instruments: series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: intraday ? config.timeZone : 'UTC' })),
    timeframe,
  };
}

function demoSession(config: ServerConfig): SessionSetup<EndlessSyntheticFeed> {
  const feedConfig = { kind: 'synthetic', timeframe: '1d', bars: config.demoBars, start: '2015-01-01', symbols: DEMO_SYMBOLS };
  const feed = new EndlessSyntheticFeed({ symbols: DEMO_SYMBOLS, chunkBars: config.demoBars, start: Date.UTC(2015, 0, 1), timeframe: '1d' });
  const symbols = DEMO_SYMBOLS.map((d) => d.symbol);
  return {
    session: sessionConfig(config, symbols, feedConfig),
    feed,
    instruments: symbols.map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
    timeframe: parseTimeframe('1d') as TimeframeSpec,
  };
}

/** The session over live market data: the configured symbols, their feed, and the stored start time. */
export function liveSession(config: ServerConfig, live: LiveWiring): SessionSetup<LiveWiring['source']> {
  const symbols = live.instruments.map((i) => i.symbol);
  return { session: sessionConfig(config, symbols, live.description), feed: live.source, instruments: live.instruments, timeframe: live.timeframe };
}

// A small, hand-made BacktestResult for the report tests, with hostile text and non-finite numbers.

import type { BacktestResult, Metrics } from '../../../../src/backtest/types.js';
import type { ClosedTrade } from '../../../../src/model/types.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 2); // 2024-01-02, a Tuesday
export const HOSTILE = '<script>alert("x")</script>';

export const METRICS: Metrics = {
  startEquity: 100_000,
  finalEquity: 112_345.678,
  netProfit: 12_345.678,
  totalReturn: 0.12345678,
  cagr: 0.2468,
  volatility: 0.1512,
  sharpe: Number.NaN,
  sortino: 1.8765,
  maxDrawdown: 0.0321,
  maxDrawdownDuration: 3,
  maxDrawdownDays: 4,
  calmar: null,
  var95: 0.012,
  cvar95: 0.018,
  beta: null,
  alpha: null,
  trackingError: null,
  informationRatio: null,
  tradeCount: 2,
  winRate: 0.5,
  grossProfit: 15_000,
  grossLoss: -2_654.322,
  profitFactor: Number.POSITIVE_INFINITY,
  avgWin: 15_000,
  avgLoss: -2_654.322,
  largestWin: 15_000,
  largestLoss: -2_654.322,
  expectancy: 6_172.839,
  sqn: 0.73,
  avgTradeDuration: 2.5,
  maxConsecutiveWins: 1,
  maxConsecutiveLosses: 1,
  exposure: 0.625,
  turnover: 1.25,
  commissions: 12.5,
  slippage: 3.25,
  bars: 8,
  periodsPerYear: 252,
};

export const TRADES: readonly ClosedTrade[] = [
  {
    symbol: 'NVDA',
    side: 'long',
    quantity: 100,
    entryTime: T0 + DAY,
    entryPrice: 101.25,
    exitTime: T0 + 3 * DAY,
    exitPrice: 251.25,
    pnl: 15_000,
    commission: 5,
    slippage: 1.25,
    entryBar: 1,
    exitBar: 3,
  },
  {
    symbol: 'BRK,"A"',
    side: 'short',
    quantity: 2,
    entryTime: T0 + 4 * DAY,
    entryPrice: 612_000.5,
    exitTime: T0 + 7 * DAY,
    exitPrice: 613_327.661,
    pnl: -2_654.322,
    commission: 7.5,
    slippage: 2,
    entryBar: 4,
    exitBar: 7,
  },
];

/** Eight daily bars; equity holds E_0 plus one value per bar, one of them NaN. */
export function makeResult(overrides: Partial<BacktestResult> = {}): BacktestResult {
  const times = Float64Array.from({ length: 8 }, (_, i) => T0 + i * DAY);
  const equity = Float64Array.from([100_000, 100_000, 104_000.5, 115_000, 113_000.25, Number.NaN, 111_500, 110_000, 112_345.678]);
  return {
    version: '0.1.0',
    config: {
      strategy: 'sma-cross',
      params: { fast: 10, slow: 30, ma: 'sma', note: HOSTILE, ratio: Number.NaN },
      symbols: ['NVDA', 'BRK,"A"'],
      timeframe: '1d',
      from: '2024-01-01',
      to: null,
      cash: 100_000,
      size: '100',
      commission: 'per-share:0.005',
      slippage: 'bps:1',
      fillOn: 'open',
      periodsPerYear: 252,
      riskFreeRate: 0,
      seed: 42,
      data: ['data/NVDA.csv'],
      adjustment: 'none',
      benchmark: null,
    },
    metrics: METRICS,
    trades: TRADES,
    openPositions: [
      {
        symbol: 'AAPL',
        side: 'long',
        quantity: 50,
        entryTime: T0 + 6 * DAY,
        avgPrice: 190.5,
        lastPrice: 195.25,
        unrealizedPnl: 237.5,
      },
    ],
    times,
    equity,
    monthlyReturns: [
      { year: 2023, month: 12, return: -0.015 },
      { year: 2024, month: 1, return: 0.12345678 },
      { year: 2024, month: 2, return: Number.NaN },
    ],
    rejections: [{ time: T0 + 2 * DAY, symbol: 'NVDA', code: 'MAX_POSITION', message: `position limit ${HOSTILE}` }],
    finalCash: '12345.678',
    ...overrides,
  };
}

/** A long random-walk equity curve (one value per bar) with a known spike and trough. */
export function longResult(n: number, stepMs = 60_000): BacktestResult {
  const times = new Float64Array(n);
  const equity = new Float64Array(n + 1);
  equity[0] = 100_000;
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    times[i] = T0 + i * stepMs;
    equity[i + 1] = Math.max(1, (equity[i] ?? 0) + (seed / 2 ** 32 - 0.5) * 40);
  }
  return makeResult({ times, equity, metrics: { ...METRICS, bars: n }, trades: [], monthlyReturns: [] });
}

// Builders for metrics tests: a MetricsInput from plain arrays, with daily UTC times unless given.

import type { MetricsInput } from '../../../src/backtest/types.js';
import type { ClosedTrade } from '../../../src/model/types.js';

export const DAY_MS = 86_400_000;
/** Monday 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);

export function day(n: number): number {
  return T0 + n * DAY_MS;
}

export interface InputOptions {
  /** Times of E_1..E_N in days after T0; default 0, 1, 2, ... */
  readonly days?: readonly number[];
  readonly inMarket?: readonly number[];
  readonly trades?: readonly ClosedTrade[];
  readonly tradedNotional?: number;
  readonly commissions?: number;
  readonly slippage?: number;
  readonly periodsPerYear?: number;
  readonly riskFreeRate?: number;
  readonly benchmark?: readonly number[];
}

/** equity is E_0..E_N. */
export function metricsInput(equity: readonly number[], o: InputOptions = {}): MetricsInput {
  const n = equity.length - 1;
  const days = o.days ?? Array.from({ length: n }, (_, i) => i);
  return {
    times: Float64Array.from(days, day),
    equity: Float64Array.from(equity),
    inMarket: Uint8Array.from(o.inMarket ?? new Array<number>(n).fill(0)),
    trades: o.trades ?? [],
    tradedNotional: o.tradedNotional ?? 0,
    commissions: o.commissions ?? 0,
    slippage: o.slippage ?? 0,
    periodsPerYear: o.periodsPerYear ?? 252,
    riskFreeRate: o.riskFreeRate ?? 0,
    ...(o.benchmark ? { benchmark: Float64Array.from(o.benchmark) } : {}),
  };
}

/** A long trade with the given P&L, entered and exited at the given day offsets. */
export function trade(pnl: number, entryDay = 0, exitDay = entryDay + 1): ClosedTrade {
  return {
    symbol: 'TEST',
    side: 'long',
    quantity: 1,
    entryTime: day(entryDay),
    entryPrice: 100,
    exitTime: day(exitDay),
    exitPrice: 100 + pnl,
    pnl,
    commission: 0,
    slippage: 0,
    entryBar: entryDay,
    exitBar: exitDay,
  };
}

/** r_t exactly as the metrics compute them, for reference calculations. */
export function barReturns(equity: ArrayLike<number>): number[] {
  const r: number[] = [];
  for (let t = 1; t < equity.length; t++) r.push((equity[t]! - equity[t - 1]!) / equity[t - 1]!);
  return r;
}

/** E_0 = 100 compounded by `returns`; a zero return repeats the equity exactly. */
export function equityFrom(returns: ArrayLike<number>): Float64Array {
  const e = new Float64Array(returns.length + 1);
  e[0] = 100;
  for (let t = 1; t <= returns.length; t++) e[t] = e[t - 1]! * (1 + returns[t - 1]!);
  return e;
}

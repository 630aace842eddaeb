// What an optimization maximizes and what a trial must meet: a metric name (sharpe, sortino, cagr, calmar,
// profitFactor, sqn, ...) or an expression over the metrics, and constraints such as "maxDrawdown < 0.2"
// or "tradeCount >= 30". A trial whose objective is not a number, or that breaks a constraint, is infeasible.

import { Pi5Error } from '../core/errors.js';
import type { Metrics } from '../backtest/types.js';
import { compileExpression, truthy, type Compiled } from './expr.js';

// A record over every metric key, so the compiler flags a metric added to Metrics but missing here.
const METRIC_KEYS: Record<keyof Metrics, true> = {
  startEquity: true, finalEquity: true, netProfit: true, totalReturn: true, cagr: true, volatility: true, sharpe: true,
  sortino: true, maxDrawdown: true, maxDrawdownDuration: true, maxDrawdownDays: true, calmar: true, var95: true, cvar95: true,
  beta: true, alpha: true, trackingError: true, informationRatio: true, tradeCount: true, winRate: true, grossProfit: true,
  grossLoss: true, profitFactor: true, avgWin: true, avgLoss: true, largestWin: true, largestLoss: true, expectancy: true,
  sqn: true, avgTradeDuration: true, maxConsecutiveWins: true, maxConsecutiveLosses: true, exposure: true, turnover: true,
  commissions: true, slippage: true, bars: true, periodsPerYear: true,
};
export const METRIC_NAMES: ReadonlySet<string> = new Set(Object.keys(METRIC_KEYS));

export interface Objective {
  readonly text: string;
  readonly value: (m: Metrics) => number;
}

export interface Constraint {
  readonly text: string;
  readonly holds: (m: Metrics) => boolean;
}

/** A metric by name as a number: null (undefined for this run) is NaN. */
export function metricValue(m: Metrics, name: string): number {
  const v = (m as unknown as Record<string, number | null | undefined>)[name];
  return typeof v === 'number' ? v : NaN;
}

function compile(text: string, what: string): Compiled {
  try {
    return compileExpression(text, METRIC_NAMES);
  } catch (e) {
    if (e instanceof Pi5Error) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${what}: ${e.message}`, e.details as Record<string, unknown>);
    throw e;
  }
}

export function parseObjective(text: string): Objective {
  const f = compile(text.trim(), '--objective');
  return { text: text.trim(), value: (m) => f((n) => metricValue(m, n)) };
}

export function parseConstraint(text: string): Constraint {
  const f = compile(text.trim(), '--constraint');
  return { text: text.trim(), holds: (m) => truthy(f((n) => metricValue(m, n))) };
}

// How each metric reads for a person: its label and its unit, so the summary and HTML agree.

import type { Metrics } from '../types.js';
import {
  MISSING,
  formatCount,
  formatDays,
  formatMoney,
  formatPercent,
  formatRatio,
  isFiniteNumber,
} from './format.js';

export type MetricKind = 'money' | 'percent' | 'ratio' | 'count' | 'days' | 'bars';

export interface MetricDisplay {
  readonly key: keyof Metrics;
  readonly label: string;
  readonly kind: MetricKind;
}

/** Every Metrics field, grouped as a reader scans them: returns, risk, trades, costs. */
export const METRIC_DISPLAY: readonly MetricDisplay[] = [
  { key: 'startEquity', label: 'Start equity', kind: 'money' },
  { key: 'finalEquity', label: 'Final equity', kind: 'money' },
  { key: 'netProfit', label: 'Net profit', kind: 'money' },
  { key: 'totalReturn', label: 'Total return', kind: 'percent' },
  { key: 'cagr', label: 'CAGR', kind: 'percent' },
  { key: 'volatility', label: 'Volatility (ann.)', kind: 'percent' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio' },
  { key: 'sortino', label: 'Sortino', kind: 'ratio' },
  { key: 'calmar', label: 'Calmar', kind: 'ratio' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'percent' },
  { key: 'maxDrawdownDuration', label: 'Max DD duration', kind: 'bars' },
  { key: 'maxDrawdownDays', label: 'Max DD duration (days)', kind: 'days' },
  { key: 'var95', label: 'VaR 95% (per bar)', kind: 'percent' },
  { key: 'cvar95', label: 'CVaR 95% (per bar)', kind: 'percent' },
  { key: 'beta', label: 'Beta', kind: 'ratio' },
  { key: 'alpha', label: 'Alpha (ann.)', kind: 'percent' },
  { key: 'trackingError', label: 'Tracking error', kind: 'percent' },
  { key: 'informationRatio', label: 'Information ratio', kind: 'ratio' },
  { key: 'tradeCount', label: 'Trades', kind: 'count' },
  { key: 'winRate', label: 'Win rate', kind: 'percent' },
  { key: 'grossProfit', label: 'Gross profit', kind: 'money' },
  { key: 'grossLoss', label: 'Gross loss', kind: 'money' },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
  { key: 'avgWin', label: 'Average win', kind: 'money' },
  { key: 'avgLoss', label: 'Average loss', kind: 'money' },
  { key: 'largestWin', label: 'Largest win', kind: 'money' },
  { key: 'largestLoss', label: 'Largest loss', kind: 'money' },
  { key: 'expectancy', label: 'Expectancy', kind: 'money' },
  { key: 'sqn', label: 'SQN', kind: 'ratio' },
  { key: 'avgTradeDuration', label: 'Avg trade duration', kind: 'days' },
  { key: 'maxConsecutiveWins', label: 'Max consecutive wins', kind: 'count' },
  { key: 'maxConsecutiveLosses', label: 'Max consecutive losses', kind: 'count' },
  { key: 'exposure', label: 'Exposure', kind: 'percent' },
  { key: 'turnover', label: 'Turnover', kind: 'ratio' },
  { key: 'commissions', label: 'Commissions', kind: 'money' },
  { key: 'slippage', label: 'Slippage', kind: 'money' },
  { key: 'bars', label: 'Bars', kind: 'count' },
  { key: 'periodsPerYear', label: 'Periods per year', kind: 'count' },
];

export function formatMetric(kind: MetricKind, value: number | null): string {
  switch (kind) {
    case 'money':
      return formatMoney(value);
    case 'percent':
      return formatPercent(value);
    case 'ratio':
      return formatRatio(value);
    case 'count':
      return formatCount(value);
    case 'days':
      return formatDays(value);
    case 'bars':
      return isFiniteNumber(value) ? `${formatCount(value)} bars` : MISSING;
  }
}

/** A metric's value as shown to people, by its key. */
export function metricText(m: Metrics, key: keyof Metrics): string {
  const d = METRIC_DISPLAY.find((x) => x.key === key);
  return d === undefined ? String(m[key]) : formatMetric(d.kind, m[key]);
}

/** "973 bars (1,412.0 days)", the max drawdown span in both units. */
export function formatDrawdownDuration(m: Metrics): string {
  const bars = formatMetric('bars', m.maxDrawdownDuration);
  return Number.isFinite(m.maxDrawdownDays) ? `${bars} (${formatDays(m.maxDrawdownDays)})` : bars;
}

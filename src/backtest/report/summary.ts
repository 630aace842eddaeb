// The console summary printed after a backtest: fixed-width plain text that reads well in any terminal.

import type { BacktestResult, Metrics, RiskRejection } from '../types.js';
import { formatMoney, formatPrice, formatQuantity, formatTime } from './format.js';
import { formatDrawdownDuration, formatMetric, METRIC_DISPLAY, metricText } from './metricDisplay.js';
import { runInfo } from './runInfo.js';

type Row = readonly [label: string, value: string];

const GAP = '    ';
const INDENT = '  ';

function metric(m: Metrics, key: keyof Metrics): Row {
  return [METRIC_DISPLAY.find((x) => x.key === key)?.label ?? key, metricText(m, key)];
}

function returnRows(m: Metrics, finalCash: string): Row[] {
  return [
    metric(m, 'finalEquity'),
    ['Final cash', formatMoney(finalCash.trim() === '' ? Number.NaN : Number(finalCash))],
    metric(m, 'netProfit'),
    metric(m, 'totalReturn'),
    metric(m, 'cagr'),
    metric(m, 'volatility'),
    metric(m, 'sharpe'),
    metric(m, 'sortino'),
    metric(m, 'calmar'),
    metric(m, 'maxDrawdown'),
    ['Max DD duration', formatDrawdownDuration(m)],
  ];
}

function tradeRows(m: Metrics): Row[] {
  return [
    metric(m, 'tradeCount'),
    metric(m, 'winRate'),
    metric(m, 'profitFactor'),
    metric(m, 'expectancy'),
    metric(m, 'avgWin'),
    metric(m, 'avgLoss'),
    metric(m, 'avgTradeDuration'),
    metric(m, 'exposure'),
    metric(m, 'commissions'),
    metric(m, 'slippage'),
  ];
}

/** Label/value pairs as a block of lines with labels left- and values right-aligned. */
function block(title: string, rows: readonly Row[]): string[] {
  const lw = Math.max(...rows.map((r) => r[0].length));
  const vw = Math.max(...rows.map((r) => r[1].length));
  return [title, ...rows.map(([l, v]) => `${INDENT}${l.padEnd(lw)}  ${v.padStart(vw)}`)];
}

function labelled(rows: readonly Row[]): string[] {
  const lw = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([l, v]) => `${l.padEnd(lw)}  ${v}`);
}

function sideBySide(left: readonly string[], right: readonly string[]): string[] {
  const width = Math.max(...left.map((l) => l.length));
  const n = Math.max(left.length, right.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${(left[i] ?? '').padEnd(width)}${GAP}${right[i] ?? ''}`.trimEnd());
  return out;
}

/** A fixed-width table; columns listed in `right` are right-aligned (numbers). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    INDENT +
    widths
      .map((w, c) => (right.includes(c) ? (cells[c] ?? '').padStart(w) : (cells[c] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function openPositionLines(result: BacktestResult, dateOnly: boolean): string[] {
  const open = result.openPositions;
  if (open.length === 0) return ['Open positions: none'];
  const rows = open.map((p) => [
    p.symbol,
    p.side,
    formatQuantity(p.quantity),
    formatTime(p.entryTime, dateOnly),
    formatPrice(p.avgPrice),
    formatPrice(p.lastPrice),
    formatMoney(p.unrealizedPnl),
  ]);
  const header = ['Symbol', 'Side', 'Quantity', 'Entry', 'Avg price', 'Last price', 'Unrealized P&L'];
  return [`Open positions (${open.length})`, ...textTable(header, rows, [2, 4, 5, 6])];
}

/** "3 (2 MAX_POSITION, 1 KILL_SWITCH)": how many orders risk refused, and why. */
export function rejectionCounts(rejections: readonly RiskRejection[]): string {
  if (rejections.length === 0) return '0';
  const byCode = new Map<string, number>();
  for (const r of rejections) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const parts = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${n} ${code}`);
  return `${rejections.length} (${parts.join(', ')})`;
}

export function formatSummary(result: BacktestResult): string {
  const info = runInfo(result);
  const m = result.metrics;
  const head = labelled([
    ['Strategy', info.strategy],
    ['Params', info.params.length > 0 ? info.params.join(', ') : 'defaults'],
    ['Symbols', `${info.symbols} · ${info.timeframe}`],
    ['Period', `${info.from} → ${info.to} · ${formatMetric('count', info.bars)} bars`],
    ['Sizing', info.sizing],
    ...(info.adjusted === null ? [] : [['Prices', info.adjusted] as const]),
  ]);
  const lines = [
    `pi5 backtest report · version ${result.version}`,
    ...head,
    '',
    ...sideBySide(block('Returns and risk', returnRows(m, result.finalCash)), block('Trades', tradeRows(m))),
    '',
    ...openPositionLines(result, info.dateOnly),
    '',
    `Risk rejections: ${rejectionCounts(result.rejections)}`,
  ];
  return `${lines.join('\n')}\n`;
}

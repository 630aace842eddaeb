// The HTML report's tables: trades, open positions, risk rejections and the run's configuration.

import type { ClosedTrade, OpenPositionReport } from '../../model/types.js';
import type { BacktestConfigReport, RiskRejection } from '../types.js';
import { escapeHtml } from './escape.js';
import {
  MISSING,
  formatCount,
  formatMoney,
  formatPercent,
  formatPrice,
  formatQuantity,
  formatTime,
  plural,
  signClass,
} from './format.js';
import { adjustmentText, paramText } from './runInfo.js';

/** Above this many trades the table shows the first and last TRADE_EDGE rows only. */
export const MAX_TRADE_ROWS = 2000;
export const TRADE_EDGE = 1000;
const MAX_REJECTION_ROWS = 500;

const TRADE_HEADER = ['#', 'Symbol', 'Side', 'Qty', 'Entry', 'Entry price', 'Exit', 'Exit price', 'P&L', 'Return', 'Commission', 'Bars'];

function headRow(cells: readonly string[], leftCols: readonly number[] = []): string {
  return `<thead><tr>${cells.map((c, i) => `<th${leftCols.includes(i) ? ' class="l"' : ''}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
}

function signed(text: string, value: number): string {
  const cls = signClass(value);
  return cls === '' ? `<td>${text}</td>` : `<td class="${cls}">${text}</td>`;
}

/** P&L relative to the capital the entry tied up; undefined when that is zero. */
function tradeReturn(t: ClosedTrade): number {
  const basis = Math.abs(t.entryPrice * t.quantity);
  return basis > 0 ? t.pnl / basis : Number.NaN;
}

function tradeRow(t: ClosedTrade, n: number, dateOnly: boolean): string {
  const bars = t.exitBar - t.entryBar;
  return (
    `<tr><td>${n}</td><td>${escapeHtml(t.symbol)}</td><td>${escapeHtml(t.side)}</td>` +
    `<td>${formatQuantity(t.quantity)}</td><td>${formatTime(t.entryTime, dateOnly)}</td><td>${formatPrice(t.entryPrice)}</td>` +
    `<td>${formatTime(t.exitTime, dateOnly)}</td><td>${formatPrice(t.exitPrice)}</td>` +
    `${signed(formatMoney(t.pnl), t.pnl)}${signed(formatPercent(tradeReturn(t)), t.pnl)}` +
    `<td>${formatMoney(t.commission)}</td><td>${formatCount(bars)}</td></tr>`
  );
}

function tradeRows(trades: readonly ClosedTrade[], dateOnly: boolean): string {
  if (trades.length <= MAX_TRADE_ROWS) return trades.map((t, i) => tradeRow(t, i + 1, dateOnly)).join('');
  const skipped = trades.length - 2 * TRADE_EDGE;
  const head = trades.slice(0, TRADE_EDGE).map((t, i) => tradeRow(t, i + 1, dateOnly));
  const tailStart = trades.length - TRADE_EDGE;
  const tail = trades.slice(tailStart).map((t, i) => tradeRow(t, tailStart + i + 1, dateOnly));
  const gap =
    `<tr class="gap"><td colspan="${TRADE_HEADER.length}">… ${formatCount(skipped)} trades not shown ` +
    `(#${formatCount(TRADE_EDGE + 1)} to #${formatCount(tailStart)}) …</td></tr>`;
  return `${head.join('')}${gap}${tail.join('')}`;
}

export function tradesSection(trades: readonly ClosedTrade[], dateOnly: boolean): string {
  const title = `<h2>Trades<small>${plural(trades.length, 'closed round trip')}</small></h2>`;
  if (trades.length === 0) return `<section id="trades">${title}<p class="note">No closed trades.</p></section>`;
  const note =
    trades.length > MAX_TRADE_ROWS
      ? `<p class="note">Showing the first and last ${formatCount(TRADE_EDGE)} of ${formatCount(trades.length)} trades; the trades CSV (<code>--trades</code>) or JSON holds every one.</p>`
      : '';
  return (
    `<section id="trades">${title}<div class="scroll"><table class="trades">${headRow(TRADE_HEADER)}` +
    `<tbody>${tradeRows(trades, dateOnly)}</tbody></table></div>${note}</section>`
  );
}

export function openPositionsSection(positions: readonly OpenPositionReport[], dateOnly: boolean): string {
  const title = `<h2>Open positions<small>marked to the last close, not closed</small></h2>`;
  if (positions.length === 0) return `<section id="open">${title}<p class="note">None: the run ended flat.</p></section>`;
  const rows = positions
    .map(
      (p) =>
        `<tr><td class="l">${escapeHtml(p.symbol)}</td><td class="l">${escapeHtml(p.side)}</td><td>${formatQuantity(p.quantity)}</td>` +
        `<td>${formatTime(p.entryTime, dateOnly)}</td><td>${formatPrice(p.avgPrice)}</td><td>${formatPrice(p.lastPrice)}</td>` +
        `${signed(formatMoney(p.unrealizedPnl), p.unrealizedPnl)}</tr>`,
    )
    .join('');
  const header = headRow(['Symbol', 'Side', 'Quantity', 'Entry', 'Avg price', 'Last price', 'Unrealized P&L'], [0, 1]);
  return `<section id="open">${title}<div class="wide"><table>${header}<tbody>${rows}</tbody></table></div></section>`;
}

/** Omitted entirely when risk refused nothing. */
export function rejectionsSection(rejections: readonly RiskRejection[], dateOnly: boolean): string {
  if (rejections.length === 0) return '';
  const byCode = new Map<string, number>();
  for (const r of rejections) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const chips = [...byCode]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `<span class="chip">${escapeHtml(code)} × ${formatCount(n)}</span>`)
    .join('');
  const rows = rejections
    .slice(0, MAX_REJECTION_ROWS)
    .map(
      (r) =>
        `<tr><td class="l">${formatTime(r.time, dateOnly)}</td><td class="l">${escapeHtml(r.symbol)}</td>` +
        `<td class="l">${escapeHtml(r.code)}</td><td class="l">${escapeHtml(r.message)}</td></tr>`,
    )
    .join('');
  const note =
    rejections.length > MAX_REJECTION_ROWS
      ? `<p class="note">Showing the first ${formatCount(MAX_REJECTION_ROWS)} of ${formatCount(rejections.length)}.</p>`
      : '';
  return (
    `<section id="rejections"><h2>Risk rejections<small>${plural(rejections.length, 'order')} refused</small></h2>` +
    `<div class="chips">${chips}</div><div class="scroll" style="margin-top:12px"><table>` +
    `${headRow(['Time', 'Symbol', 'Code', 'Message'], [0, 1, 2, 3])}<tbody>${rows}</tbody></table></div>${note}</section>`
  );
}

function orMissing(v: string | null): string {
  return v === null || v === '' ? MISSING : v;
}

export function configSection(c: BacktestConfigReport, version: string, finalCash: string): string {
  const params = Object.entries(c.params).map(([k, v]) => paramText(k, v));
  const rows: [string, string][] = [
    ['Strategy', c.strategy],
    ['Params', params.length > 0 ? params.join(', ') : 'defaults'],
    ['Symbols', c.symbols.join(', ')],
    ['Timeframe', c.timeframe],
    ['From / to (requested)', `${orMissing(c.from)} / ${orMissing(c.to)}`],
    ['Starting cash', formatMoney(c.cash)],
    ['Size', c.size],
    ['Commission', c.commission],
    ['Slippage', c.slippage],
    ['Fill on', c.fillOn],
    ['Periods per year', String(c.periodsPerYear)],
    ['Risk-free rate', formatPercent(c.riskFreeRate)],
    ['Seed', String(c.seed)],
    ['Benchmark', orMissing(c.benchmark)],
    ['Data', c.data.join(', ')],
    ['Prices', adjustmentText(c.adjustment)],
    ['Final cash (exact)', finalCash],
    ['Engine version', version],
  ];
  const body = rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="l">${escapeHtml(orMissing(v))}</td></tr>`).join('');
  return `<section id="config"><h2>Configuration</h2><table class="kv"><tbody>${body}</tbody></table></section>`;
}

// The `--report` HTML: one self-contained page (inline CSS and SVG, no scripts or external resources)
// with metric cards, equity and drawdown charts, monthly returns, trades, positions and config.

import type { BacktestResult, Metrics } from '../types.js';
import { stepDecimals } from './axisTicks.js';
import { escapeHtml } from './escape.js';
import { formatCount, formatMoney, formatPercent, signClass } from './format.js';
import { configSection, openPositionsSection, rejectionsSection, tradesSection } from './htmlTables.js';
import { REPORT_CSS } from './htmlStyle.js';
import { formatDrawdownDuration, formatMetric, METRIC_DISPLAY, metricText } from './metricDisplay.js';
import { monthlyHeatmap } from './monthlyHeatmap.js';
import { runInfo, type RunInfo } from './runInfo.js';
import { drawdownSeries, equitySeries } from './series.js';
import { renderChart } from './svgChart.js';
import { writeChunks } from './writeChunks.js';

interface Card {
  readonly label: string;
  readonly value: string;
  /** Sign of the value for colouring; undefined keeps it neutral. */
  readonly sign?: number | null;
  readonly sub?: string;
}

function cards(m: Metrics): readonly Card[] {
  const t = (key: keyof Metrics): string => metricText(m, key);
  return [
    { label: 'Final equity', value: t('finalEquity'), sub: `Net profit ${t('netProfit')}` },
    { label: 'Total return', value: t('totalReturn'), sign: m.totalReturn, sub: `${formatCount(m.bars)} bars` },
    { label: 'CAGR', value: t('cagr'), sign: m.cagr, sub: `Calmar ${t('calmar')}` },
    { label: 'Sharpe', value: t('sharpe'), sub: `Sortino ${t('sortino')}` },
    { label: 'Max drawdown', value: t('maxDrawdown'), sign: -m.maxDrawdown, sub: formatDrawdownDuration(m) },
    { label: 'Volatility', value: t('volatility'), sub: `VaR 95% ${t('var95')} per bar` },
    { label: 'Trades', value: t('tradeCount'), sub: `Win rate ${t('winRate')}` },
    { label: 'Profit factor', value: t('profitFactor'), sub: `Expectancy ${t('expectancy')}` },
    { label: 'Exposure', value: t('exposure'), sub: `Turnover ${Number.isFinite(m.turnover) ? `${t('turnover')}×` : t('turnover')}` },
    { label: 'Costs', value: formatMoney(m.commissions + m.slippage), sub: `Commission ${t('commissions')} · slippage ${t('slippage')}` },
  ];
}

function cardsHtml(m: Metrics): string {
  const items = cards(m).map((c) => {
    const cls = c.sign === undefined ? '' : signClass(c.sign);
    const value = `<div class="v${cls === '' ? '' : ` ${cls}`}">${escapeHtml(c.value)}</div>`;
    const sub = c.sub === undefined ? '' : `<div class="s">${escapeHtml(c.sub)}</div>`;
    return `<div class="card"><div class="k">${escapeHtml(c.label)}</div>${value}${sub}</div>`;
  });
  return `<div class="cards">${items.join('')}</div>`;
}

function allMetricsHtml(m: Metrics): string {
  const rows = METRIC_DISPLAY.map(
    (d) => `<div><span>${escapeHtml(d.label)}</span><span>${escapeHtml(formatMetric(d.kind, m[d.key]))}</span></div>`,
  );
  return `<section id="metrics"><h2>All metrics</h2><div class="metrics">${rows.join('')}</div></section>`;
}

function headerHtml(info: RunInfo, version: string): string {
  const chips = info.params.map((p) => `<span class="chip">${escapeHtml(p)}</span>`).join('');
  const meta =
    `<b>${escapeHtml(info.symbols)}</b> · ${escapeHtml(info.timeframe)} · ` +
    `${escapeHtml(info.from)} → ${escapeHtml(info.to)} · ${formatCount(info.bars)} bars` +
    (info.adjusted === null ? '' : ` · ${escapeHtml(info.adjusted)}`);
  return (
    `<header><p class="eyebrow">Backtest report · pi5-trading ${escapeHtml(version)}</p>` +
    `<h1>${escapeHtml(info.strategy)}</h1><p class="meta">${meta}</p>` +
    `${chips === '' ? '' : `<div class="chips">${chips}</div>`}</header>`
  );
}

const moneyTick = (v: number, step: number): string => {
  const d = Math.min(2, stepDecimals(step));
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
};

const percentTick = (v: number, step: number): string =>
  formatPercent(v, Math.min(2, Math.max(0, stepDecimals(step * 100))));

function chartsHtml(result: BacktestResult): string {
  const series = equitySeries(result);
  const equity = renderChart({
    times: series.times,
    values: series.equity,
    height: 330,
    kind: 'equity',
    formatTick: moneyTick,
    reference: series.start,
    title: 'Equity curve',
  });
  const underwater = renderChart({
    times: series.times,
    values: drawdownSeries(series),
    height: 180,
    kind: 'underwater',
    formatTick: percentTick,
    title: 'Drawdown from the running peak',
  });
  return (
    `<section id="equity"><h2>Equity<small>dashed line: starting equity</small></h2>${equity}</section>` +
    `<section id="drawdown"><h2>Drawdown<small>below the running peak</small></h2>${underwater}</section>`
  );
}

function* documentParts(result: BacktestResult): Generator<string> {
  const info = runInfo(result);
  const title = `${info.strategy} · ${info.symbols} · backtest report`;
  yield '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">';
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">';
  yield `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body><main>`;
  yield headerHtml(info, result.version);
  yield cardsHtml(result.metrics);
  yield chartsHtml(result);
  yield `<section id="monthly"><h2>Monthly returns<small>compounded per year</small></h2>${monthlyHeatmap(result.monthlyReturns)}</section>`;
  yield allMetricsHtml(result.metrics);
  yield tradesSection(result.trades, info.dateOnly);
  yield openPositionsSection(result.openPositions, info.dateOnly);
  yield rejectionsSection(result.rejections, info.dateOnly);
  yield configSection(result.config, result.version, result.finalCash);
  yield `<footer>Generated by pi5-trading ${escapeHtml(result.version)}. All times UTC.</footer></main></body></html>\n`;
}

/** The whole report as one string (under ~1 MB even for 1M bars: charts are decimated, trades capped). */
export function renderHtmlReport(result: BacktestResult): string {
  return [...documentParts(result)].join('');
}

export async function writeHtmlReport(path: string, result: BacktestResult): Promise<void> {
  await writeChunks(path, documentParts(result));
}

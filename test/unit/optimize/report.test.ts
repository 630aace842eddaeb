// The optimization HTML report on the series whose objective surface is known (fixtures.ts): the heatmap
// holds each grid point's net profit with the best cell outlined, every section is there, and the page is
// self-contained (no scripts, no external resources); the walk-forward page holds its windows and equity.

import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/backtest/report/escape.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { heatmapDims, renderOptimizationReport, renderWalkForwardReport } from '../../../src/optimize/report/html.js';
import type { OptimizationMeta } from '../../../src/optimize/resultJson.js';
import { buildSpace } from '../../../src/optimize/space.js';
import { parseWalkForward, walkForward } from '../../../src/optimize/walkForward.js';
import { diagnose, localReturns } from '../../../src/optimize/diagnostics.js';
import { closeAt, peakSeries, windowStrategy } from './fixtures.js';

const base = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
const rules = { objective: parseObjective('netProfit'), constraints: [] };
const profit = (entry: number, hold: number): number => 100 * (closeAt(entry + hold) - closeAt(entry));

function selfContained(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
}

describe('optimization HTML report', () => {
  it('draws the heatmap of two parameters, convergence, stability and the top trials', async () => {
    const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=30:70:10', 'hold=60:140:20', 'qty=100,200'] });
    expect(heatmapDims(space)?.map((d) => d.name)).toEqual(['entry', 'hold']);
    const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(base, space, rules) });
    const meta: OptimizationMeta = { strategy: 'window', method: 'grid', objective: 'netProfit', constraints: [], seed: 1, budget: null, workers: 1, config: { cash: 100_000 }, diagnostics: await diagnose(localReturns(base), run, space) };
    const html = renderOptimizationReport(meta, space, run);
    selfContained(html);
    for (const id of ['verdict', 'convergence', 'heatmap', 'stability', 'trials', 'config']) expect(html).toContain(`<section id="${id}"`);
    // Each cell: the best objective over qty (200 shares doubles the profit when it is positive).
    const cell = (entry: number, hold: number): number => Math.max(profit(entry, hold), 2 * profit(entry, hold));
    for (const [e, h] of [[30, 60], [50, 100], [70, 140]] as const) {
      expect(html).toContain(`title="entry=${e} hold=${h}: ${cell(e, h).toFixed(4)}"`);
    }
    expect(html).toMatch(/<td class="best"[^>]*title="entry=50 hold=100: /);
    expect(html).toContain('<span class="chip">entry=50</span>');
    expect(html).toContain('Objective along hold');
  }, 60_000);

  it('shows walk-forward windows and the stitched out-of-sample equity', async () => {
    const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=0:20:10', 'hold=5:15:5'] });
    const spec = parseWalkForward('is=2m,oos=1m');
    const r = await walkForward({ method: 'grid', seed: 1, base, space, rules, spec, evaluatorFor: (b) => localEvaluator(b, space, rules), returnsFor: (b) => localReturns(b) });
    const meta: OptimizationMeta = { strategy: 'window', method: 'grid', objective: 'netProfit', constraints: [], seed: 1, budget: null, workers: 1, config: {} };
    const html = renderWalkForwardReport(meta, spec, r);
    selfContained(html);
    for (const id of ['verdict', 'wf-equity', 'windows', 'drift']) expect(html).toContain(`<section id="${id}"`);
    expect(html.match(/<tr><td class="l">/g)).toHaveLength(r.windows.length);
    // The whole analysis's verdict, and each window's own in-sample deflated Sharpe in its row.
    expect(html).toContain(`<p class="verdict">${escapeHtml(r.diagnostics.verdict)}</p>`);
    for (const w of r.windows) expect(html).toContain(`<td>${Number.isFinite(w.diagnostics?.deflatedSharpe ?? NaN) ? (w.diagnostics?.deflatedSharpe ?? NaN).toFixed(3) : 'n/a'}</td>`);
    expect(html).toContain('aria-label="Stitched out-of-sample equity"');
  }, 60_000);
});

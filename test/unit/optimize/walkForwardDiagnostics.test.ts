import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import type { BarSeries } from '../../../src/model/barSeries.js';
import { returnsOfEquity } from '../../../src/optimize/barReturns.js';
import { deflatedSharpe, returnShape } from '../../../src/optimize/deflatedSharpe.js';
import { diagnose, localReturns } from '../../../src/optimize/diagnostics.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { buildSpace } from '../../../src/optimize/space.js';
import type { TrialBase } from '../../../src/optimize/trial.js';
import { cutSeries, parseWalkForward, walkForward, type WalkForwardResult } from '../../../src/optimize/walkForward.js';
import { judgeWalkForward, walkForwardVerdict, type WalkForwardFacts } from '../../../src/optimize/walkForwardDiagnostics.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';
import { seriesOfCloses } from './fixtures.js';

/** Daily bars whose log close is `trend(i)` plus a random walk of Gaussian steps of `sigma` a bar. */
function series(symbol: string, bars: number, seed: number, sigma: number, trend: (i: number) => number): BarSeries {
  const rng = new SeededRng(seed);
  let noise = 0;
  const closes = Array.from({ length: bars }, (_, i) => {
    noise += sigma * rng.normal();
    return Math.round(100 * Math.exp(trend(i) + noise) * 1e4) / 1e4;
  });
  return seriesOfCloses(symbol, closes, Date.UTC(2010, 0, 1), 4);
}

const space = buildSpace({ strategyId: 'sma-cross', schema: smaCross.params, grid: ['fast=2:20:3', 'slow=25:100:15'] });
const rules = { objective: parseObjective('sharpe'), constraints: [] };
const spec = parseWalkForward('is=1y,oos=6m');

async function analyse(s: BarSeries): Promise<WalkForwardResult> {
  const base: TrialBase = { series: [s], strategy: smaCross, cash: 100_000, periodsPerYear: 365 };
  return walkForward({ method: 'grid', base, space, rules, spec, evaluatorFor: (b) => localEvaluator(b, space, rules), returnsFor: (b) => localReturns(b) });
}

describe('walk-forward diagnostics', () => {
  it('gives each window the diagnostics of its own in-sample optimization, and deflates the stitched OOS returns for every trial', async () => {
    const s = series('NOISE', 4 * 365, 7, 0.02, () => 0);
    const r = await analyse(s);
    expect(r.windows.length).toBe(6);
    for (const w of r.windows) {
      // The window's optimization again, alone: the same trials, so the same diagnostics.
      const isBase: TrialBase = { series: cutSeries([s], w.isFrom, w.isTo), strategy: smaCross, cash: 100_000, periodsPerYear: 365 };
      const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(isBase, space, rules) });
      expect(run.trials.length).toBe(w.trials);
      expect(w.diagnostics).toEqual(await diagnose(localReturns(isBase), run, space));
    }
    const d = r.diagnostics;
    expect(d.trials).toBe(r.windows.reduce((n, w) => n + w.trials, 0));
    const oos = returnsOfEquity(r.equity, 365).returns;
    const { skew, kurtosis } = returnShape(oos);
    // Deflated for every trial of every window, against the luck of zero-skill Sharpe ratios over the OOS record.
    const want = deflatedSharpe({ sharpe: r.oosMetrics.sharpe / Math.sqrt(365), observations: oos.length, skew, kurtosis, trials: d.trials, sharpeVariance: 1 / (oos.length - 1) });
    expect(d.deflatedSharpe).toBeCloseTo(want.dsr, 12);
    expect(d.expectedMaxSharpe).toBeCloseTo(want.expectedMax * Math.sqrt(365), 12);
    expect(d.judgedWindows).toBe(6);
    expect(d.medianPbo).not.toBeNull();
  }, 120_000);

  it('reads a random walk, where every in-sample optimum is noise, as likely overfit', async () => {
    for (const seed of [7, 8]) {
      const r = await analyse(series('NOISE', 4 * 365, seed, 0.02, () => 0));
      expect(r.diagnostics.judgement, r.diagnostics.verdict).toBe('overfit');
      expect(r.diagnostics.verdict).toMatch(/^Likely overfit: the stitched out-of-sample Sharpe ratio -?\d+\.\d\d against \d+\.\d\d expected from the best of \d+ trials/);
    }
  }, 120_000);

  it('does not read a series with a real edge (long trending cycles an average crossover rides) as overfit', async () => {
    const r = await analyse(series('CYCLE', 4 * 365, 3, 0.005, (i) => 0.3 * Math.sin((2 * Math.PI * i) / 120)));
    expect(r.oosMetrics.sharpe).toBeGreaterThan(1);
    expect(r.diagnostics.judgement, r.diagnostics.verdict).toBe('genuine');
    expect(r.diagnostics.verdict).toMatch(/^Likely genuine: .*The edge held out of sample\./);
  }, 120_000);
});

describe('the walk-forward verdict rules', () => {
  const facts: WalkForwardFacts = {
    dsr: 0.97, expectedMaxSharpe: 1.1, trials: 240, oosSharpe: 1.6, meanIsSharpe: 2.1, efficiency: 0.8, windows: 6, judgedWindows: 6, overfitWindows: 1, medianPbo: 0.2,
    drift: [{ name: 'fast', changes: 1, cv: 0.1 }, { name: 'slow', changes: 0, cv: 0 }],
  };

  it('is likely genuine only when the OOS deflated Sharpe is ≥ 0.95 and OOS kept at least half the in-sample gain', () => {
    expect(judgeWalkForward(facts)).toBe('genuine');
    expect(judgeWalkForward({ ...facts, efficiency: NaN })).toBe('genuine');
    expect(judgeWalkForward({ ...facts, efficiency: 0.3 })).toBe('inconclusive');
    expect(judgeWalkForward({ ...facts, dsr: 0.7 })).toBe('inconclusive');
    // Below 0.5 it is overfit when out of sample also lost more than half the in-sample gain, or most windows'
    // in-sample optimizations found nothing beyond luck.
    expect(judgeWalkForward({ ...facts, dsr: 0.3 })).toBe('inconclusive');
    expect(judgeWalkForward({ ...facts, dsr: 0.3, overfitWindows: 3 })).toBe('inconclusive');
    expect(judgeWalkForward({ ...facts, dsr: 0.3, overfitWindows: 4 })).toBe('overfit');
    expect(judgeWalkForward({ ...facts, dsr: 0.3, efficiency: 0.2 })).toBe('overfit');
    expect(judgeWalkForward({ ...facts, dsr: 0.3, efficiency: NaN })).toBe('overfit');
    // A losing out-of-sample record is overfit whatever its deflated Sharpe.
    expect(judgeWalkForward({ ...facts, oosSharpe: -0.2, dsr: 0.99 })).toBe('overfit');
    expect(judgeWalkForward({ ...facts, dsr: NaN })).toBe('none');
  });

  it('says why in plain words: efficiency, OOS against IS, the windows, the drift', () => {
    const v = walkForwardVerdict(facts);
    expect(v).toMatch(/^Likely genuine: the stitched out-of-sample Sharpe ratio 1\.60 against 1\.10 expected from the best of 240 trials \(all windows\) by luck alone; deflated Sharpe 0\.970\. The edge held out of sample\./);
    expect(v).toContain('Out-of-sample Sharpe 1.60 against 2.10 in sample (mean of the chosen trials); walk-forward efficiency 0.80: out of sample kept most of the in-sample gain.');
    expect(v).toContain("1 of 6 windows' in-sample optimizations read likely overfit on their own; median probability of backtest overfitting 20 %.");
    expect(v).toContain('The chosen parameters are steady across windows.');
    const drifting = walkForwardVerdict({ ...facts, dsr: 0.2, efficiency: 0.1, drift: [{ name: 'fast', changes: 4, cv: 0.6 }, { name: 'slow', changes: 1, cv: 0.1 }] });
    expect(drifting).toMatch(/^Likely overfit: .*The in-sample optima did not carry out of sample\./);
    expect(drifting).toContain('out of sample kept less than half of the in-sample gain');
    expect(drifting).toContain('The chosen parameters drift (fast changed in 4 of 5 steps (cv 0.60)): the optimum moves with the data');
    expect(walkForwardVerdict({ ...facts, dsr: NaN })).toBe('No verdict: too few feasible trials or out-of-sample returns to judge.');
  });
});

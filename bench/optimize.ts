// Optimizer throughput: a 1,000-trial SMA grid (fast 1..40 × slow 10..250 by 10) on 2,520 generated daily
// bars (10 years), every trial through the full event path, against the trials/s the kernel would give if
// a trial cost only its bars (the kernel's bars/s on one long run of the same data, divided by 2,520).

import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import { parseSize } from '../src/engine/specs.js';
import { parseObjective } from '../src/optimize/objective.js';
import { localEvaluator, optimize } from '../src/optimize/optimizer.js';
import { poolSetup, TrialPool } from '../src/optimize/pool.js';
import { buildSpace, type ParamSpace } from '../src/optimize/space.js';
import type { TrialBase, TrialRules } from '../src/optimize/trial.js';
import { smaCross } from '../src/strategy/builtin/smaCross.js';
import { bestMs, rate, type BenchRecord } from './measure.js';

const BARS = 2520;

export async function benchOptimize(): Promise<BenchRecord[]> {
  const series = generateSyntheticBars({ symbol: 'SYN', bars: BARS, seed: 42, timeframe: '1d' });
  const base: TrialBase = { series: [series], strategy: smaCross, cash: 100_000, size: parseSize('100') };
  const space = buildSpace({ strategyId: 'sma-cross', schema: smaCross.params, grid: ['fast=1:40:1', 'slow=10:250:10'], ...(smaCross.constraints === undefined ? {} : { rules: smaCross.constraints }) });
  const rules = { objective: parseObjective('sharpe'), constraints: [] };
  const evaluate = localEvaluator(base, space, rules);
  // Warm-up runs first: the first grid compiles the whole path.
  let best = Infinity;
  let trials = 0;
  for (let i = 0; i < 4; i++) {
    const run = await optimize({ method: 'grid', space, rules, evaluate });
    trials = run.trials.length;
    if (i > 0) best = Math.min(best, run.elapsedMs);
  }
  const pooled = await pooledRate(base, space, rules);
  const single = trials / (best / 1000);
  const long = generateSyntheticBars({ symbol: 'SYN', bars: BARS * 400, seed: 42, timeframe: '1d' });
  const kernelMs = bestMs(3, () => replayBacktest({ series: [long], strategy: smaCross, params: { fast: 10, slow: 30 }, size: parseSize('100'), cash: 1e9 }));
  const barsPerSec = long.length / (kernelMs / 1000);
  return [
    {
      ...rate('optimize.trialsPerSecond', single, barsPerSec / BARS, 'trials/s', `${trials}-trial SMA grid on ${BARS} daily bars, one thread; baseline: the kernel's bars/s on one long run ÷ ${BARS}`),
      command: 'npm run bench -- optimize',
    },
    {
      ...rate('optimize.trialsPerSecond.2workers', pooled, single, 'trials/s', 'the same grid on a pool of 2 worker threads; baseline: one thread (above), so the ratio is the parallel speedup'),
      command: 'npm run bench -- optimize',
    },
  ];
}

/** Best of 3 grids (after a warm-up) on a 2-worker pool sharing the bars. */
async function pooledRate(base: TrialBase, space: ParamSpace, rules: TrialRules): Promise<number> {
  const pool = await TrialPool.start(poolSetup(base, 'sma-cross', {}), 2);
  try {
    let best = Infinity;
    let trials = 0;
    for (let i = 0; i < 4; i++) {
      const run = await optimize({ method: 'grid', space, rules, evaluate: pool.evaluator(rules), batch: 32 });
      trials = run.trials.length;
      if (i > 0) best = Math.min(best, run.elapsedMs);
    }
    return trials / (best / 1000);
  } finally {
    await pool.close();
  }
}

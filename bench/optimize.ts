// Optimizer throughput: a 1,000-trial SMA grid (fast 1..40 × slow 10..250 by 10) on 2,520 generated daily
// bars (10 years), every trial through the full event path, against the trials/s the kernel would give if
// a trial cost only its bars (the kernel's bars/s on one long run of the same data, divided by 2,520).
// The pool is also set against two threads running the whole grid each with no coordination at all (what
// the machine gives two threads at that moment), and its CPU is counted per thread: on a shared 2-core box
// the wall-clock ratio moves with the load, the CPU a trial costs the main thread and the workers does not.
// The parameter-noise histories of `pi5 montecarlo --method params` are timed the same way, one thread and 2.

import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import { parseSize } from '../src/engine/specs.js';
import { parseObjective } from '../src/optimize/objective.js';
import { localEvaluator, optimize } from '../src/optimize/optimizer.js';
import { PARAM_NOISE_RULES, parameterNoise, type ParamNoiseRun } from '../src/optimize/paramNoise.js';
import { poolSetup, TrialPool } from '../src/optimize/pool.js';
import { buildSpace, gridPoints, type ParamSpace } from '../src/optimize/space.js';
import type { TrialBase, TrialRules } from '../src/optimize/trial.js';
import { smaCross } from '../src/strategy/builtin/smaCross.js';
import { bestMs, cost, rate, type BenchRecord } from './measure.js';

const BARS = 2520;
const COMMAND = 'npm run bench -- optimize';

/** CPU seconds this thread has run (Linux; the whole process's user+system time elsewhere). */
function threadCpuSeconds(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Timed {
  readonly trialsPerSec: number;
  /** CPU µs per trial: this (main) thread, and every thread of the process. */
  readonly mainUs: number;
  readonly processUs: number;
}

/**
 * Thread-runs of the grid each thread gets untimed before timing: V8 needs ~3 runs of the grid on a thread to
 * reach its steady speed (measured: 1.2k, 2.3k, 2.2k, then 2.4–2.6k trials/s on one thread), so a pool of 2,
 * whose threads run half the grid each, gets twice the runs to warm up as much as one thread does.
 */
const WARM_GRIDS = 3;

/** Best of 5 timed repetitions after `warmups` untimed ones (they compile the whole path); CPU from the best one. */
async function timed(run: () => Promise<number>, warmups = WARM_GRIDS): Promise<Timed> {
  for (let i = 0; i < warmups; i++) await run();
  let best: Timed | undefined;
  for (let i = 0; i < 5; i++) {
    const [t0, m0, p0] = [performance.now(), threadCpuSeconds(), processCpuSeconds()];
    const trials = await run();
    const ms = performance.now() - t0;
    const r = { trialsPerSec: trials / (ms / 1000), mainUs: ((threadCpuSeconds() - m0) * 1e6) / trials, processUs: ((processCpuSeconds() - p0) * 1e6) / trials };
    if (best === undefined || r.trialsPerSec > best.trialsPerSec) best = r;
  }
  return best as Timed;
}

export async function benchOptimize(): Promise<BenchRecord[]> {
  const load = `load ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`;
  const series = generateSyntheticBars({ symbol: 'SYN', bars: BARS, seed: 42, timeframe: '1d' });
  const base: TrialBase = { series: [series], strategy: smaCross, cash: 100_000, size: parseSize('100') };
  const space = buildSpace({ strategyId: 'sma-cross', schema: smaCross.params, grid: ['fast=1:40:1', 'slow=10:250:10'], ...(smaCross.constraints === undefined ? {} : { rules: smaCross.constraints }) });
  const rules = { objective: parseObjective('sharpe'), constraints: [] };
  const evaluate = localEvaluator(base, space, rules);
  let trials = 0;
  const single = await timed(async () => {
    trials = (await optimize({ method: 'grid', space, rules, evaluate })).trials.length;
    return trials;
  });
  const pooled = await pooledRate(base, space, rules);
  const apart = await independentRate(base, space);
  const noise = await paramNoiseRates(base);
  const long = generateSyntheticBars({ symbol: 'SYN', bars: BARS * 400, seed: 42, timeframe: '1d' });
  const kernelMs = bestMs(3, () => replayBacktest({ series: [long], strategy: smaCross, params: { fast: 10, slow: 30 }, size: parseSize('100'), cash: 1e9 }));
  const barsPerSec = long.length / (kernelMs / 1000);
  return [
    { ...rate('optimize.trialsPerSecond', single.trialsPerSec, barsPerSec / BARS, 'trials/s', `${trials}-trial SMA grid on ${BARS} daily bars, one thread; baseline: the kernel's bars/s on one long run ÷ ${BARS}; ${load}`), command: COMMAND },
    { ...rate('optimize.trialsPerSecond.2workers', pooled.trialsPerSec, single.trialsPerSec, 'trials/s', `the same grid on a pool of 2 worker threads; baseline: one thread (above), so the ratio is the parallel speedup; ${load}`), command: COMMAND },
    { ...rate('optimize.pool.vsIndependent', pooled.trialsPerSec, apart.trialsPerSec, 'trials/s', `the pool of 2 against two threads each running the whole grid with no coordination (the most two threads gave at that moment); ${load}`), command: COMMAND },
    { ...cost('optimize.pool.cpuPerTrial', pooled.processUs, single.processUs, 'µs', `process CPU per trial (all threads) on the pool of 2; baseline: one thread's; ratio ≈ the CPU efficiency`), command: COMMAND },
    { ...cost('optimize.independent.cpuPerTrial', apart.processUs, single.processUs, 'µs', `process CPU per trial (all threads) of the two uncoordinated threads; baseline: one thread's (what running two at once costs each, pool or not)`), command: COMMAND },
    { ...cost('optimize.pool.mainThreadCpuPerTrial', pooled.mainUs, single.mainUs, 'µs', `the main thread's CPU per trial while the pool runs (search, messages, scoring); baseline: a whole trial on one thread`), command: COMMAND },
    { ...rate('montecarlo.params.backtestsPerSecond', noise.single.trialsPerSec, single.trialsPerSec, 'backtests/s', `montecarlo --method params: ${NOISE_SIMULATIONS} jittered sma-cross backtests (and the original) on the same bars, one thread; baseline: the grid's trials/s (above); ${load}`), command: COMMAND },
    { ...rate('montecarlo.params.2workers', noise.pooled.trialsPerSec, noise.single.trialsPerSec, 'backtests/s', `the same histories on a pool of 2 worker threads, batched as montecarlo --workers 2; baseline: one thread (above), so the ratio is the speedup; ${load}`), command: COMMAND },
    { ...cost('montecarlo.params.pool.cpuPerBacktest', noise.pooled.processUs, noise.single.processUs, 'µs', `process CPU per backtest (all threads) on the pool of 2; baseline: one thread's; ratio ≈ the CPU efficiency`), command: COMMAND },
  ];
}

/** The grid on a 2-worker pool sharing the bars, batched as `pi5 optimize --workers 2` does. */
async function pooledRate(base: TrialBase, space: ParamSpace, rules: TrialRules): Promise<Timed> {
  const pool = await TrialPool.start(poolSetup(base, 'sma-cross', {}), 2);
  try {
    return await timed(async () => (await optimize({ method: 'grid', space, rules, evaluate: pool.evaluator(rules), batch: pool.batch })).trials.length, WARM_GRIDS * 2);
  } finally {
    await pool.close();
  }
}

const NOISE_SIMULATIONS = 1000;

/** `pi5 montecarlo --method params` (fast 10, slow 30 jittered ±10 %) on this thread, then on a pool of 2. */
async function paramNoiseRates(base: TrialBase): Promise<{ single: Timed; pooled: Timed }> {
  const input = { base, params: { fast: 10, slow: 30 }, jitter: ['fast', 'slow'], noise: 0.1, simulations: NOISE_SIMULATIONS, seed: 1, ruinDrawdown: 0.5, target: 0.2 };
  const backtests = async (run?: ParamNoiseRun): Promise<number> => ((await parameterNoise(input, run))?.simulations ?? 0) + 1;
  const single = await timed(() => backtests());
  const pool = await TrialPool.start(poolSetup(base, 'sma-cross', {}), 2);
  try {
    return { single, pooled: await timed(() => backtests({ evaluate: pool.evaluator(PARAM_NOISE_RULES), batch: pool.batch }), WARM_GRIDS * 2) };
  } finally {
    await pool.close();
  }
}

/** Trials/s of two one-worker pools each running the whole grid at once: the machine's two-thread ceiling. */
async function independentRate(base: TrialBase, space: ParamSpace): Promise<Timed> {
  const pools = await Promise.all([0, 1].map(() => TrialPool.start(poolSetup(base, 'sma-cross', {}), 1)));
  const requests = [...gridPoints(space)].map((point, id) => ({ id, point }));
  try {
    return await timed(async () => (await Promise.all(pools.map((p) => p.runAll(requests)))).reduce((n, x) => n + x.length, 0));
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

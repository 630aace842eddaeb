// Monte Carlo robustness of one backtest: many alternative histories built from its own trades or returns,
// seeded so a run is reproducible. `shuffle` reorders the trades (same final P&L, a different path, so a
// drawdown distribution), `bootstrap` draws trades with replacement (final P&L varies too), `block` redraws
// blocks of bar returns (keeps short-range dependence). Each history gives a final return and a max drawdown;
// the report is their distributions, confidence intervals and the probabilities of profit, of a target and of ruin.

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { quantileLinear } from '../core/stats/numeric.js';

export type MonteCarloMethod = 'shuffle' | 'bootstrap' | 'block';
export const MONTE_CARLO_METHODS: readonly MonteCarloMethod[] = ['shuffle', 'bootstrap', 'block'];

export interface MonteCarloInput {
  readonly method: MonteCarloMethod;
  /** Starting equity. */
  readonly cash: number;
  /** Closed trades' P&L in money, in order (shuffle, bootstrap): applied at a fixed size, as the backtest traded them. */
  readonly tradePnl: readonly number[];
  /** Bar returns of the equity curve (block). */
  readonly returns: readonly number[];
  readonly simulations: number;
  readonly seed: number;
  /** Block length in bars (block); default the cube root of the number of returns. */
  readonly blockLength?: number;
  /** A history is ruined once its drawdown from the peak reaches this fraction (0.5 = lost half). */
  readonly ruinDrawdown: number;
  /** Target total return (0.2 = +20 %) whose probability is reported. */
  readonly target: number;
}

export interface Distribution {
  readonly mean: number;
  readonly p5: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export interface MonteCarloResult {
  readonly method: MonteCarloMethod;
  readonly simulations: number;
  readonly seed: number;
  /** Trades (shuffle, bootstrap) or returns (block) each history draws. */
  readonly steps: number;
  readonly blockLength: number | null;
  /** Of the original order, for comparison. */
  readonly original: { readonly totalReturn: number; readonly maxDrawdown: number };
  readonly totalReturn: Distribution;
  readonly maxDrawdown: Distribution;
  readonly probabilityOfProfit: number;
  readonly probabilityOfTarget: number;
  readonly probabilityOfRuin: number;
  readonly ruinDrawdown: number;
  readonly target: number;
  /** Every history's total return and max drawdown, in simulation order (for histograms). */
  readonly samples: { readonly totalReturn: Float64Array; readonly maxDrawdown: Float64Array };
}

function bad(message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `montecarlo: ${message}`);
}

export function parseMonteCarloMethod(text: string): MonteCarloMethod {
  const m = MONTE_CARLO_METHODS.find((x) => x === text);
  if (m === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--method: ${JSON.stringify(text)} is not one of ${MONTE_CARLO_METHODS.join(', ')}`);
  return m;
}

/** A path's outcome: total return and the largest peak-to-trough fall, as fractions of equity. */
interface Path {
  totalReturn: number;
  maxDrawdown: number;
}

/** Walks equity from `cash` by `step(i)` money (pnl) or fraction (return) per step. */
function walk(cash: number, steps: number, next: (equity: number) => number): Path {
  let equity = cash;
  let peak = cash;
  let dd = 0;
  for (let i = 0; i < steps; i++) {
    equity = next(equity);
    if (equity > peak) peak = equity;
    else if (peak > 0) dd = Math.max(dd, Math.min(1, (peak - equity) / peak));
  }
  return { totalReturn: equity / cash - 1, maxDrawdown: dd };
}

function distribution(xs: Float64Array): Distribution {
  const s = Float64Array.from(xs).sort();
  const q = (p: number): number => quantileLinear(s, p);
  let sum = 0;
  for (const x of s) sum += x;
  return { mean: sum / s.length, p5: q(0.05), p25: q(0.25), median: q(0.5), p75: q(0.75), p95: q(0.95), min: s[0] as number, max: s[s.length - 1] as number };
}

export function monteCarlo(input: MonteCarloInput): MonteCarloResult {
  const { method, cash, simulations, seed } = input;
  if (!(cash > 0)) throw bad(`starting cash ${cash} is not positive`);
  if (!Number.isInteger(simulations) || simulations < 1 || simulations > 1_000_000) throw bad(`simulations ${simulations} is not a whole number from 1 to 1000000`);
  if (!(input.ruinDrawdown > 0 && input.ruinDrawdown <= 1)) throw bad(`ruin drawdown ${input.ruinDrawdown} is not in (0, 1]`);
  const byTrades = method !== 'block';
  const data = byTrades ? input.tradePnl : input.returns;
  if (data.length === 0) throw bad(byTrades ? 'the run has no closed trades to resample' : 'the run has no returns to resample');
  const n = data.length;
  if (!byTrades && input.blockLength !== undefined && !(Number.isInteger(input.blockLength) && input.blockLength >= 1)) throw bad(`block length ${input.blockLength} is not a whole number ≥ 1`);
  const blockLength = byTrades ? null : Math.min(n, Math.max(1, Math.round(input.blockLength ?? Math.cbrt(n))));
  const rng = new SeededRng(seed);
  const at = (i: number): number => data[i] as number;
  let o = 0;
  const original = walk(cash, n, byTrades ? (e) => e + at(o++) : (e) => e * (1 + at(o++)));
  const totals = new Float64Array(simulations);
  const dds = new Float64Array(simulations);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let s = 0; s < simulations; s++) {
    let path: Path;
    if (method === 'shuffle') {
      // Fisher–Yates over the trade indexes.
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(0, i);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let i = 0;
      path = walk(cash, n, (e) => e + at(order[i++] as number));
    } else if (method === 'bootstrap') {
      path = walk(cash, n, (e) => e + at(rng.int(0, n - 1)));
    } else {
      const len = blockLength as number;
      let start = 0;
      let k = len;
      path = walk(cash, n, (e) => {
        // Circular blocks: a block starting near the end wraps to the beginning, so every bar is drawn as often.
        if (k === len) {
          start = rng.int(0, n - 1);
          k = 0;
        }
        return e * (1 + at((start + k++) % n));
      });
    }
    totals[s] = path.totalReturn;
    dds[s] = path.maxDrawdown;
  }
  let profit = 0;
  let target = 0;
  let ruin = 0;
  for (let s = 0; s < simulations; s++) {
    if ((totals[s] as number) > 0) profit++;
    if ((totals[s] as number) >= input.target) target++;
    if ((dds[s] as number) >= input.ruinDrawdown) ruin++;
  }
  return {
    method,
    simulations,
    seed,
    steps: n,
    blockLength,
    original,
    totalReturn: distribution(totals),
    maxDrawdown: distribution(dds),
    probabilityOfProfit: profit / simulations,
    probabilityOfTarget: target / simulations,
    probabilityOfRuin: ruin / simulations,
    ruinDrawdown: input.ruinDrawdown,
    target: input.target,
    samples: { totalReturn: totals, maxDrawdown: dds },
  };
}

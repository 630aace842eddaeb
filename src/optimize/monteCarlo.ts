// Monte Carlo robustness of one backtest: many alternative histories built from its own trades or returns,
// seeded so a run is reproducible. `shuffle` reorders the trades (same final P&L, a different path, so a
// drawdown distribution), `bootstrap` draws trades with replacement (final P&L varies too), `block` redraws
// blocks of bar returns (keeps short-range dependence), `parametric` draws bar returns from a normal or
// Student-t fitted to them (returnFit.ts). Each history gives a final return and a max drawdown;
// the report is their distributions, confidence intervals and the probabilities of profit, of a target and of ruin.

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { quantileLinear } from '../core/stats/numeric.js';
import { compoundedMoments, fitReturns, returnSampler, type ReturnDistribution, type ReturnFit } from './returnFit.js';

/** `params` (parameter noise) re-runs backtests: paramNoise.ts; the others resample one run's trades or returns. */
export type MonteCarloMethod = 'shuffle' | 'bootstrap' | 'block' | 'parametric' | 'params';
export const MONTE_CARLO_METHODS: readonly MonteCarloMethod[] = ['shuffle', 'bootstrap', 'block', 'parametric', 'params'];

export interface MonteCarloInput {
  readonly method: MonteCarloMethod;
  /** Starting equity. */
  readonly cash: number;
  /** Closed trades' P&L in money, in order (shuffle, bootstrap): applied at a fixed size, as the backtest traded them. */
  readonly tradePnl: readonly number[];
  /** Bar returns of the equity curve (block, parametric). */
  readonly returns: readonly number[];
  readonly simulations: number;
  readonly seed: number;
  /** Block length in bars (block); default the cube root of the number of returns. */
  readonly blockLength?: number;
  /** The fitted distribution (parametric); default normal. */
  readonly distribution?: ReturnDistribution;
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
  /** The fit drawn from (parametric), with the total return its draws have in expectation. */
  readonly fit: (ReturnFit & { readonly expectedTotalReturn: number }) | null;
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
  if (method === 'params') throw bad('parameter noise re-runs the backtest (paramNoise.ts), it does not resample one');
  const byTrades = method === 'shuffle' || method === 'bootstrap';
  const data = byTrades ? input.tradePnl : input.returns;
  if (data.length === 0) throw bad(byTrades ? 'the run has no closed trades to resample' : 'the run has no returns to resample');
  const n = data.length;
  if (!byTrades && input.blockLength !== undefined && !(Number.isInteger(input.blockLength) && input.blockLength >= 1)) throw bad(`block length ${input.blockLength} is not a whole number ≥ 1`);
  const blockLength = method !== 'block' ? null : Math.min(n, Math.max(1, Math.round(input.blockLength ?? Math.cbrt(n))));
  const rng = new SeededRng(seed);
  const fitted = method === 'parametric' ? fitReturns(data, input.distribution ?? 'normal') : null;
  const fit = fitted === null ? null : { ...fitted, expectedTotalReturn: compoundedMoments(fitted, n).mean };
  const draw = fitted === null ? null : returnSampler(fitted, rng);
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
    } else if (draw !== null) {
      // A draw below −100 % would leave negative equity: the account is gone and stays at zero.
      path = walk(cash, n, (e) => Math.max(0, e * (1 + draw())));
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
  return { method, simulations, seed, steps: n, blockLength, fit, original, ...summarize(totals, dds, input) };
}

export type MonteCarloSummary = Pick<MonteCarloResult, 'totalReturn' | 'maxDrawdown' | 'probabilityOfProfit' | 'probabilityOfTarget' | 'probabilityOfRuin' | 'ruinDrawdown' | 'target' | 'samples'>;

/** Distributions and probabilities of the histories' total returns and max drawdowns. */
export function summarize(totals: Float64Array, dds: Float64Array, o: { readonly ruinDrawdown: number; readonly target: number }): MonteCarloSummary {
  let profit = 0;
  let target = 0;
  let ruin = 0;
  for (let s = 0; s < totals.length; s++) {
    if ((totals[s] as number) > 0) profit++;
    if ((totals[s] as number) >= o.target) target++;
    if ((dds[s] as number) >= o.ruinDrawdown) ruin++;
  }
  return {
    totalReturn: distribution(totals),
    maxDrawdown: distribution(dds),
    probabilityOfProfit: profit / totals.length,
    probabilityOfTarget: target / totals.length,
    probabilityOfRuin: ruin / totals.length,
    ruinDrawdown: o.ruinDrawdown,
    target: o.target,
    samples: { totalReturn: totals, maxDrawdown: dds },
  };
}

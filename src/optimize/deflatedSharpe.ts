// Deflated Sharpe ratio (Bailey & López de Prado 2014): the probability that the true Sharpe ratio of the
// chosen trial beats the Sharpe ratio the best of N trials would show by luck alone, allowing for the
// skewness and kurtosis of its returns and the length of the track record. All Sharpe ratios per bar.

const EULER_GAMMA = 0.5772156649015329;

/** Standard normal CDF via erfc (W. J. Cody's rational approximations through Numerical Recipes' erfcc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9). */
export function normalInv(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: readonly number[], x: number): number => k.reduce((s, v) => s * x + v, 0);
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - lo) return -normalInv(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** E[max of N Sharpe ratios] when all true Sharpe ratios are zero and their estimates have variance `variance`. */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * normalInv(1 - 1 / trials) + EULER_GAMMA * normalInv(1 - 1 / (trials * Math.E)));
}

/** Probabilistic Sharpe ratio: P(true SR > benchmark) for an estimate `sr` over `n` returns with skewness and (non-excess) kurtosis. */
export function probabilisticSharpe(sr: number, benchmark: number, n: number, skew: number, kurtosis: number): number {
  const denom = Math.sqrt(1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr);
  return normalCdf(((sr - benchmark) * Math.sqrt(n - 1)) / denom);
}

export interface DeflatedSharpeInput {
  /** The chosen trial's Sharpe ratio per bar (not annualized). */
  readonly sharpe: number;
  /** Its number of returns. */
  readonly observations: number;
  readonly skew: number;
  /** Non-excess kurtosis (3 for normal returns). */
  readonly kurtosis: number;
  /** Number of (independent) trials. */
  readonly trials: number;
  /** Variance across the trials of their per-bar Sharpe ratios. */
  readonly sharpeVariance: number;
}

export function deflatedSharpe(x: DeflatedSharpeInput): { readonly dsr: number; readonly expectedMax: number } {
  const expectedMax = expectedMaxSharpe(x.trials, x.sharpeVariance);
  return { dsr: probabilisticSharpe(x.sharpe, expectedMax, x.observations, x.skew, x.kurtosis), expectedMax };
}

/** Skewness and non-excess kurtosis of bar returns (population moments). */
export function returnShape(returns: ArrayLike<number>): { skew: number; kurtosis: number } {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i] as number;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (returns[i] as number) - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  [m2, m3, m4] = [m2 / n, m3 / n, m4 / n];
  return { skew: m2 === 0 ? 0 : m3 / m2 ** 1.5, kurtosis: m2 === 0 ? 3 : m4 / (m2 * m2) };
}

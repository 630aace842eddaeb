// What an allocation policy sees (each strategy's recent returns and closed trades) and returns: weights
// that sum to 1 over the strategies, or null while it lacks the history it needs (the allocator then uses
// equal weight).

import type { TradeOutcome } from '../../sizing/types.js';

export interface StrategyTrack {
  readonly id: string;
  /** Returns of the strategy's capital, one per time step, oldest first. */
  readonly returns: readonly number[];
  /** Closed (reduced) parts of the strategy's positions, oldest first. */
  readonly trades: readonly TradeOutcome[];
}

export interface PolicyOptions {
  readonly lookback: number;
  /** Returns each strategy needs before a return-based policy applies. */
  readonly minHistory: number;
  readonly kelly: { readonly fraction: number; readonly capPct: number; readonly minTrades: number };
}

export type AllocationPolicy = (tracks: readonly StrategyTrack[], opts: PolicyOptions) => number[] | null;

/** 1/n each. */
export function equalWeights(n: number): number[] {
  return new Array<number>(n).fill(n === 0 ? 0 : 1 / n);
}

/** Scores (≥ 0) in proportion; all zero (no strategy is preferred) gives equal weight. */
export function normalize(scores: readonly number[]): number[] {
  let sum = 0;
  for (const s of scores) sum += s;
  if (!(sum > 0) || !Number.isFinite(sum)) return equalWeights(scores.length);
  return scores.map((s) => s / sum);
}

/** The last `lookback` returns of each track, or null when one has fewer than `minHistory`. */
export function windows(tracks: readonly StrategyTrack[], opts: PolicyOptions): (readonly number[])[] | null {
  const out: (readonly number[])[] = [];
  for (const t of tracks) {
    if (t.returns.length < opts.minHistory) return null;
    out.push(t.returns.length > opts.lookback ? t.returns.slice(t.returns.length - opts.lookback) : t.returns);
  }
  return out;
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? NaN : s / xs.length;
}

/** Sample standard deviation (n − 1); NaN below two values. */
export function sampleStdev(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

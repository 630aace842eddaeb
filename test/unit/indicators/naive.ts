// From-scratch reference implementations: whole-series batch formulas written straight from the definitions,
// with no incremental state, for the property tests to compare against.

import { PU_PER_UNIT, toPu } from '../../../src/model/money.js';
import type { TestBar } from './helpers.js';

const nanArray = (n: number): number[] => new Array<number>(n).fill(NaN);

/** The window ending at i, or null before it is full. */
function windowAt<T>(xs: readonly T[], i: number, p: number): T[] | null {
  return i + 1 >= p ? xs.slice(i + 1 - p, i + 1) : null;
}

/** Exact mean of each window: the pu sum in BigInt, then one correctly rounded division. */
export function naiveSma(xs: readonly number[], p: number): number[] {
  return xs.map((_, i) => {
    const w = windowAt(xs, i, p);
    if (!w) return NaN;
    const s = w.reduce((acc, x) => acc + BigInt(toPu(x)), 0n);
    return Number(s) / (p * PU_PER_UNIT);
  });
}

/** Exact standard deviation of each window: n·Σx² − (Σx)² in BigInt pu². */
export function naiveStdevExact(xs: readonly number[], p: number, kind: 'sample' | 'population'): number[] {
  return xs.map((_, i) => {
    const w = windowAt(xs, i, p);
    if (!w) return NaN;
    let s = 0n;
    let q = 0n;
    for (const x of w) {
      const v = BigInt(toPu(x));
      s += v;
      q += v * v;
    }
    const t = BigInt(p) * q - s * s;
    return Math.sqrt(Number(t) / (p * (kind === 'sample' ? p - 1 : p))) / PU_PER_UNIT;
  });
}

/** Two-pass float standard deviation of each window (the textbook formula). */
export function naiveStdevFloat(xs: readonly number[], p: number, kind: 'sample' | 'population'): number[] {
  return xs.map((_, i) => {
    const w = windowAt(xs, i, p);
    if (!w) return NaN;
    const mean = w.reduce((a, b) => a + b, 0) / p;
    const ss = w.reduce((a, x) => a + (x - mean) * (x - mean), 0);
    return Math.sqrt(ss / (kind === 'sample' ? p - 1 : p));
  });
}

export function naiveEma(xs: readonly number[], p: number): number[] {
  const out = nanArray(xs.length);
  if (xs.length < p) return out;
  const alpha = 2 / (p + 1);
  let e = xs.slice(0, p).reduce((a, b) => a + b, 0) / p;
  out[p - 1] = e;
  for (let i = p; i < xs.length; i++) {
    e = alpha * xs[i]! + (1 - alpha) * e;
    out[i] = e;
  }
  return out;
}

/** Wilder's smoothing of a series: mean of the first p values, then s ← (s·(p−1) + x)/p. */
export function wilder(xs: readonly number[], p: number): number[] {
  const out = nanArray(xs.length);
  if (xs.length < p) return out;
  let s = xs.slice(0, p).reduce((a, b) => a + b, 0) / p;
  out[p - 1] = s;
  for (let i = p; i < xs.length; i++) {
    s = (s * (p - 1) + xs[i]!) / p;
    out[i] = s;
  }
  return out;
}

export function naiveRsi(xs: readonly number[], p: number): number[] {
  const changes = xs.slice(1).map((x, i) => x - xs[i]!);
  const gains = wilder(changes.map((c) => Math.max(c, 0)), p);
  const losses = wilder(changes.map((c) => Math.max(-c, 0)), p);
  return xs.map((_, i) => {
    if (i === 0) return NaN;
    const g = gains[i - 1]!;
    const l = losses[i - 1]!;
    if (Number.isNaN(g)) return NaN;
    return g + l === 0 ? 50 : (100 * g) / (g + l);
  });
}

export function naiveMacd(xs: readonly number[], fast: number, slow: number, signal: number) {
  const f = naiveEma(xs, fast);
  const s = naiveEma(xs, slow);
  const line = xs.map((_, i) => f[i]! - s[i]!);
  const sig = nanArray(xs.length);
  const fromSignal = naiveEma(line.slice(slow - 1), signal);
  fromSignal.forEach((v, j) => (sig[slow - 1 + j] = v));
  return xs.map((_, i) => {
    const ready = !Number.isNaN(sig[i]!);
    return {
      macd: ready ? line[i]! : NaN,
      signal: ready ? sig[i]! : NaN,
      histogram: ready ? line[i]! - sig[i]! : NaN,
    };
  });
}

function trueRanges(bs: readonly TestBar[]): number[] {
  return bs.map((b, i) => {
    if (i === 0) return b.high - b.low;
    const pc = bs[i - 1]!.close;
    return Math.max(b.high - b.low, Math.abs(b.high - pc), Math.abs(b.low - pc));
  });
}

export function naiveAtr(bs: readonly TestBar[], p: number): number[] {
  return wilder(trueRanges(bs), p);
}

export function naiveAdx(bs: readonly TestBar[], p: number) {
  // Movements exist from the second bar on; index j here is bar j + 1.
  const moves = bs.slice(1).map((b, j) => {
    const prev = bs[j]!;
    const up = b.high - prev.high;
    const down = prev.low - b.low;
    return { pdm: up > down && up > 0 ? up : 0, mdm: down > up && down > 0 ? down : 0 };
  });
  const tr = wilder(trueRanges(bs).slice(1), p);
  const pdm = wilder(moves.map((m) => m.pdm), p);
  const mdm = wilder(moves.map((m) => m.mdm), p);
  const pdi = tr.map((t, j) => (t > 0 ? (100 * pdm[j]!) / t : Number.isNaN(t) ? NaN : 0));
  const mdi = tr.map((t, j) => (t > 0 ? (100 * mdm[j]!) / t : Number.isNaN(t) ? NaN : 0));
  const dx = pdi.map((pd, j) => {
    const sum = pd + mdi[j]!;
    return sum > 0 ? (100 * Math.abs(pd - mdi[j]!)) / sum : Number.isNaN(sum) ? NaN : 0;
  });
  const adx = nanArray(dx.length);
  wilder(dx.slice(p - 1), p).forEach((v, k) => (adx[p - 1 + k] = v));
  return bs.map((_, i) => {
    const j = i - 1;
    const a = j >= 0 ? adx[j]! : NaN;
    const ready = !Number.isNaN(a);
    return { adx: a, plusDI: ready ? pdi[j]! : NaN, minusDI: ready ? mdi[j]! : NaN };
  });
}

/** VWAP with the session restarting at every index in `sessionStarts`. */
export function naiveVwap(bs: readonly TestBar[], sessionStarts: ReadonlySet<number>): number[] {
  return bs.map((_, i) => {
    let start = i;
    while (start > 0 && !sessionStarts.has(start)) start--;
    let pv = 0;
    let v = 0;
    for (const b of bs.slice(start, i + 1)) {
      pv += ((b.high + b.low + b.close) / 3) * b.volume;
      v += b.volume;
    }
    return v > 0 ? pv / v : NaN;
  });
}

export function naiveRollingMax(xs: readonly number[], p: number): number[] {
  return xs.map((_, i) => {
    const w = windowAt(xs, i, p);
    return w ? Math.max(...w) : NaN;
  });
}

export function naiveRollingMin(xs: readonly number[], p: number): number[] {
  return xs.map((_, i) => {
    const w = windowAt(xs, i, p);
    return w ? Math.min(...w) : NaN;
  });
}

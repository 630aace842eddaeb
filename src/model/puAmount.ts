// Exact pu amounts for the books that every fill updates (cash, cost, commissions, realized P&L): a double
// while the amount is a safe integer, a bigint only beyond 2^53 pu (±90 million currency units). bigint
// arithmetic costs a runtime call and an allocation per operation, and a 1M-bar backtest books ~40k fills
// into two books; doubles are exact here because every operand and result is an integer checked to be safe.
// The form is canonical (a value has exactly one representation: number iff safe), so `=== 0` tests zero
// and two equal amounts compare equal.

import { mulDivRound } from './money.js';

export type PuAmount = number | bigint;

function canonical(v: bigint): PuAmount {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** An integer pu amount given as a number (fill fields) in canonical form; throws RangeError for a fraction, as BigInt does. */
export function puAmount(n: number): PuAmount {
  if (n === 0) return 0; // -0 too: the canonical zero is +0, as 0n converts to
  return Number.isSafeInteger(n) ? n : BigInt(n);
}

export function addPu(a: PuAmount, b: PuAmount): PuAmount {
  if (typeof a === 'number' && typeof b === 'number') {
    // Safe operands: the double sum is exact whenever the true sum is safe, and unsafe whenever it is not.
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return canonical(BigInt(a) + BigInt(b));
}

export function subPu(a: PuAmount, b: PuAmount): PuAmount {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return canonical(BigInt(a) - BigInt(b));
}

export function negPu(a: PuAmount): PuAmount {
  if (typeof a === 'number') return a === 0 ? 0 : -a; // never -0
  return canonical(-a);
}

/** quantity (whole lots) × price (pu), exact; throws RangeError for a fractional factor, as BigInt does. */
export function notionalAmount(quantity: number, pricePu: number): PuAmount {
  const n = quantity * pricePu;
  if (Number.isSafeInteger(n) && Number.isInteger(quantity) && Number.isInteger(pricePu)) return n;
  return canonical(BigInt(quantity) * BigInt(pricePu));
}

/** round(a × part / whole), ties to even, exactly (mulDivRound); `a` itself when part equals whole. */
export function mulDivPu(a: PuAmount, part: number, whole: number): PuAmount {
  if (part === whole) return a;
  return canonical(mulDivRound(BigInt(a), BigInt(part), BigInt(whole)));
}

export function toBigPu(a: PuAmount): bigint {
  return typeof a === 'bigint' ? a : BigInt(a);
}

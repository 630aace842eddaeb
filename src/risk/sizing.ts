// Position sizers for signals: how many shares an entry gets. Parsed from the --size spec:
// "100" fixed quantity · "10%" percent of equity · "$5000" fixed notional · "risk:1%" fixed-fractional risk
// to the signal's stop (needs a stop price). Results round down to the instrument's lot size.

import { Pi5Error } from '../core/errors.js';

export interface SizingInput {
  readonly symbol: string;
  /** Estimated entry price (the last close). */
  readonly price: number;
  readonly equity: number;
  readonly cash: number;
  readonly stopPrice?: number;
  readonly lotSize: number;
}

export interface Sizer {
  readonly spec: string;
  /** Whole lots to trade (0 when nothing can be bought). */
  size(input: SizingInput): number;
}

function roundDownToLot(qty: number, lot: number): number {
  if (!Number.isFinite(qty) || qty <= 0) return 0;
  // A tiny epsilon keeps 99.99999999 (float noise from an exact 100) from becoming 99.
  return Math.floor(qty / lot + 1e-9) * lot;
}

function badSpec(spec: string, why: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `--size ${JSON.stringify(spec)}: ${why}`, { field: 'size' });
}

function positiveNumber(spec: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw badSpec(spec, `${JSON.stringify(text)} is not a positive number`);
  return n;
}

export function parseSizeSpec(spec: string): Sizer {
  const s = spec.trim();
  if (s.startsWith('risk:') && s.endsWith('%')) {
    const pct = positiveNumber(spec, s.slice(5, -1));
    return {
      spec,
      size: (i) => {
        const stop = i.stopPrice;
        if (stop === undefined || !(Math.abs(i.price - stop) > 0)) return 0;
        return roundDownToLot((i.equity * pct) / 100 / Math.abs(i.price - stop), i.lotSize);
      },
    };
  }
  if (s.endsWith('%')) {
    const pct = positiveNumber(spec, s.slice(0, -1));
    return { spec, size: (i) => roundDownToLot((i.equity * pct) / 100 / i.price, i.lotSize) };
  }
  if (s.startsWith('$')) {
    const notional = positiveNumber(spec, s.slice(1));
    return { spec, size: (i) => roundDownToLot(notional / i.price, i.lotSize) };
  }
  const qty = positiveNumber(spec, s);
  if (!Number.isInteger(qty)) throw badSpec(spec, 'a fixed quantity must be a whole number (use 10% or $5000 for other sizers)');
  return { spec, size: (i) => roundDownToLot(qty, i.lotSize) };
}

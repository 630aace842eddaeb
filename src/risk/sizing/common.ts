// The last step every sizer shares: cap at buying power, then round down to whole lots, so no sizer can
// hand the order path a fractional lot, a negative quantity or more than the account can pay for.

import type { SizingInput } from './types.js';

/** Whole lots in `qty`, rounded down; 0 for anything not positive and finite. */
export function roundDownToLot(qty: number, lot: number): number {
  if (!Number.isFinite(qty) || qty <= 0 || !(lot > 0)) return 0;
  // A tiny epsilon keeps 99.99999999 (float noise from an exact 100) from becoming 99.
  const lots = Math.floor(qty / lot + 1e-9);
  // Fractional lots (0.1, 0.01) would leave 0.30000000000000004; quantities carry at most 8 decimals.
  return lot >= 1 ? lots * lot : Math.round(lots * lot * 1e8) / 1e8;
}

/** max(cash, 0) × leverage, or Infinity when the caller gave no leverage allowance. */
export function buyingPower(i: SizingInput): number {
  return i.leverage === undefined ? Infinity : Math.max(0, i.cash) * Math.max(0, i.leverage);
}

/** Most whole lots whose cost qty × price stays within the buying power (no epsilon here: never over). */
function affordableQuantity(power: number, price: number, lot: number): number {
  if (power === Infinity) return Infinity;
  if (!(price > 0)) return 0;
  let q = roundDownToLot(power / price, lot);
  while (q > 0 && q * price > power) q = roundDownToLot(q - lot, lot);
  return q;
}

/** A sizer's raw quantity as an order quantity: rounded down to lots and capped at buying power. */
export function finishQuantity(raw: number, i: SizingInput): number {
  return Math.min(roundDownToLot(raw, i.lotSize), affordableQuantity(buyingPower(i), i.price, i.lotSize));
}

/** Shares for a notional at the entry price (NaN when the price is unknown). */
export function quantityFor(notional: number, price: number): number {
  return price > 0 ? notional / price : NaN;
}

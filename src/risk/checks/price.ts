// Symbol and price checks: the restricted list, the fat-finger band around the last price, and the minimum
// price. The band applies to every order (a mistyped price is a mistake whichever way it trades).

import { EPS, describe, type Check } from './types.js';

export const checkRestricted: Check = (req, _s, limits, impact) => {
  const list = limits.restrictedSymbols;
  if (list === undefined || impact.reduces || !list.includes(req.symbol)) return null;
  return { code: 'RISK_RESTRICTED_SYMBOL', message: `${describe(req)}: ${req.symbol} is on the restricted list (only reducing orders are accepted)` };
};

/** A limit or stop price more than priceBandPct away from the last price is denied; exactly at the band passes. */
export const checkPriceBand: Check = (req, s, limits) => {
  const pct = limits.priceBandPct;
  if (pct === undefined || !Number.isFinite(s.price)) return null;
  const band = (s.price * pct) / 100;
  for (const [kind, px] of [['limit', req.limitPrice], ['stop', req.stopPrice]] as const) {
    if (px !== undefined && Math.abs(px - s.price) > band + EPS) {
      return {
        code: 'RISK_PRICE_BAND',
        message: `${describe(req)}: ${kind} ${px} is ${((Math.abs(px - s.price) / s.price) * 100).toFixed(2)}% from the last price ${s.price}; band is ±${pct}%`,
      };
    }
  }
  return null;
};

export const checkMinPrice: Check = (req, s, limits, impact) => {
  const min = limits.minPrice;
  const price = Number.isFinite(s.price) ? s.price : impact.price;
  if (min === undefined || impact.reduces || !Number.isFinite(price) || price >= min) return null;
  return { code: 'RISK_MIN_PRICE', message: `${describe(req)}: price ${price} is below the minimum ${min}` };
};

// Per-symbol position checks: the short ban, max quantity and notional, and the number of symbols held at
// once. They judge the position after every working order on the order's side fills.

import { describe, money, noPrice, type Check } from './types.js';

export const checkShortAllowed: Check = (req, s, limits, impact) => {
  if (limits.allowShort || impact.after >= 0) return null;
  const working = s.pendingSell > 0 ? ` with ${s.pendingSell} already working to sell` : '';
  return { code: 'RISK_SHORT_NOT_ALLOWED', message: `${describe(req)}${working} would leave a short position of ${impact.after}` };
};

export const checkPositionQty: Check = (req, _s, limits, impact) => {
  const max = limits.maxPositionQty;
  if (max === undefined || impact.reduces || Math.abs(impact.after) <= max) return null;
  return { code: 'RISK_MAX_POSITION_QTY', message: `${describe(req)} would leave a position of ${impact.after}; limit is ${max}` };
};

export const checkPositionNotional: Check = (req, _s, limits, impact) => {
  const max = limits.maxPositionNotional;
  if (max === undefined || impact.reduces) return null;
  if (!Number.isFinite(impact.price)) return noPrice('RISK_MAX_POSITION_NOTIONAL', req, 'maxPositionNotional');
  const notional = Math.abs(impact.after) * impact.price;
  if (notional <= max + 1e-9) return null;
  return {
    code: 'RISK_MAX_POSITION_NOTIONAL',
    message: `${describe(req)} at ~${impact.price} would leave a position worth ${money(notional)}; limit is ${money(max)}`,
  };
};

/** Opening a position in a new symbol needs a free slot; adding to a held one does not. */
export const checkMaxPositions: Check = (req, s, limits, impact) => {
  const max = limits.maxPositions;
  if (max === undefined || impact.before !== 0 || impact.after === 0) return null;
  const held = s.otherPositions ?? 0;
  if (held < max) return null;
  return { code: 'RISK_MAX_POSITIONS', message: `${describe(req)} would open a position while ${held} symbols are held; limit is ${max}` };
};

// Diversification checks: sector/group concentration (gross exposure of the order's group as a share of
// equity) and correlation with the symbols already held. Both judge only orders that grow a position.

import { EPS, describe, money, noPrice, type Check } from './types.js';

export const checkGroupConcentration: Check = (req, s, limits, impact) => {
  const pct = limits.maxGroupPct;
  if (pct === undefined || s.group === undefined || !impact.grows) return null;
  if (!Number.isFinite(impact.price)) return noPrice('RISK_GROUP_CONCENTRATION', req, 'maxGroupPct');
  const added = (Math.abs(impact.after) - Math.abs(impact.before)) * impact.price;
  const after = (s.groupExposure ?? 0) + added;
  const limit = (s.equity * pct) / 100;
  if (after <= limit + EPS) return null;
  return {
    code: 'RISK_GROUP_CONCENTRATION',
    message: `${describe(req)} at ~${impact.price} would bring group ${s.group} to ${money(after)}; limit is ${pct}% of equity = ${money(limit)}`,
  };
};

/** Correlation of returns above the limit with any held symbol denies (exactly at the limit passes). */
export const checkCorrelation: Check = (req, s, limits, impact) => {
  const max = limits.maxCorrelation;
  if (max === undefined || s.correlations === undefined || !impact.grows) return null;
  for (const c of s.correlations) {
    if (c.value > max + EPS) {
      return { code: 'RISK_CORRELATION', message: `${describe(req)}: correlation with held ${c.symbol} is ${c.value.toFixed(3)}; limit is ${max}` };
    }
  }
  return null;
};

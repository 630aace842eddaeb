// Loss checks: the kill switch, max daily loss (from the start-of-day equity) and max drawdown (from the
// peak equity). A loss exactly at its limit is denied: the limit has been reached. Reducing orders pass.

import { EPS, describe, money, type Check } from './types.js';

export const checkKillSwitch: Check = (req, s, _limits, impact) => {
  if (s.killSwitchTripped !== true || impact.reduces) return null;
  return { code: 'RISK_KILL_SWITCH', message: `${describe(req)}: the kill switch is tripped; only orders that reduce a position are accepted until a person resets it` };
};

export const checkDailyLoss: Check = (req, s, limits, impact) => {
  const start = s.dayStartEquity;
  if (start === undefined || impact.reduces) return null;
  const loss = start - s.equity;
  const amount = limits.maxDailyLoss;
  if (amount !== undefined && loss >= amount - EPS) {
    return { code: 'RISK_MAX_DAILY_LOSS', message: `${describe(req)}: down ${money(loss)} today (from ${money(start)}); limit is ${money(amount)}` };
  }
  const pct = limits.maxDailyLossPct;
  if (pct !== undefined && loss >= (start * pct) / 100 - EPS) {
    return { code: 'RISK_MAX_DAILY_LOSS', message: `${describe(req)}: down ${money(loss)} today (from ${money(start)}); limit is ${pct}% = ${money((start * pct) / 100)}` };
  }
  return null;
};

export const checkDrawdown: Check = (req, s, limits, impact) => {
  const pct = limits.maxDrawdownPct;
  if (pct === undefined || s.peakEquity === undefined || impact.reduces) return null;
  const peak = Math.max(s.peakEquity, s.equity);
  const fall = peak - s.equity;
  if (fall < (peak * pct) / 100 - EPS) return null;
  return {
    code: 'RISK_MAX_DRAWDOWN',
    message: `${describe(req)}: equity ${money(s.equity)} is ${money(fall)} below its peak ${money(peak)}; limit is ${pct}% = ${money((peak * pct) / 100)}`,
  };
};

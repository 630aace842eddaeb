// Order-count checks: open orders, the order rate (per second and per minute, on the kernel clock) and
// orders per day. Orders that only reduce a position pass all three.

import type { Check } from './types.js';

export const checkOpenOrders: Check = (_req, s, limits, impact) => {
  if (impact.reduces || s.openOrders < limits.maxOpenOrders) return null;
  return { code: 'RISK_MAX_OPEN_ORDERS', message: `${s.openOrders} open orders is the limit (${limits.maxOpenOrders})` };
};

export const checkOrderRate: Check = (_req, s, limits, impact) => {
  if (impact.reduces) return null;
  const perSecond = limits.maxOrdersPerSecond;
  if (perSecond !== undefined && (s.ordersLastSecond ?? 0) >= perSecond) {
    return { code: 'RISK_ORDER_RATE', message: `${s.ordersLastSecond ?? 0} orders in the last second; limit is ${perSecond} per second` };
  }
  const perMinute = limits.maxOrdersPerMinute;
  if (perMinute !== undefined && (s.ordersLastMinute ?? 0) >= perMinute) {
    return { code: 'RISK_ORDER_RATE', message: `${s.ordersLastMinute ?? 0} orders in the last minute; limit is ${perMinute} per minute` };
  }
  return null;
};

export const checkOrdersPerDay: Check = (_req, s, limits, impact) => {
  const max = limits.maxOrdersPerDay;
  if (max === undefined || impact.reduces || (s.ordersToday ?? 0) < max) return null;
  return { code: 'RISK_MAX_ORDERS_PER_DAY', message: `${s.ordersToday ?? 0} orders today; limit is ${max} per day` };
};

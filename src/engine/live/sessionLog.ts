// A paper session's trading in the log: orders (as placed and as they end), fills, risk rejections and kill
// switch changes at info, one compact line each (JSON fields when the logger writes JSON). Steps re-run during
// recovery stay silent, like the session's other events.

import type { Logger } from '../../core/log.js';
import type { Order } from '../../model/types.js';
import type { Kernel } from '../kernel.js';

/** Order states worth a line: placed, and each way an order can end. */
const LOGGED_STATES = new Set(['accepted', 'canceled', 'rejected', 'expired']);

function who(strategyId: string | null): string {
  return strategyId ?? 'manual';
}

function describeOrder(o: Order): string {
  const price = o.limitPrice === null ? '' : ` @ ${o.limitPrice}`;
  return `${o.side} ${o.quantity} ${o.symbol} ${o.type}${price}`;
}

export function logSessionEvents(kernel: Kernel, log: Logger, isLive: () => boolean): void {
  const bus = kernel.bus;
  bus.subscribe('orderUpdated', (o) => {
    if (!isLive() || !LOGGED_STATES.has(o.status)) return;
    log.info(`order ${o.status}: ${describeOrder(o)} (${who(o.strategyId)})`, { event: 'order', status: o.status, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity: o.quantity, strategyId: o.strategyId });
  });
  bus.subscribe('orderFilled', (f) => {
    if (!isLive()) return;
    log.info(`fill: ${f.side} ${f.quantity} ${f.symbol} @ ${f.price}`, { event: 'fill', clientOrderId: f.clientOrderId, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price });
  });
  bus.subscribe('riskDenied', (d) => {
    if (!isLive()) return;
    log.info(`risk rejected ${d.symbol} (${who(d.strategyId)}): ${d.code} ${d.message}`, { event: 'riskDenied', symbol: d.symbol, code: d.code, strategyId: d.strategyId });
  });
  bus.subscribe('riskStateChanged', (r) => {
    if (!isLive()) return;
    log.warn(`kill switch ${r.killSwitch} by ${r.by}: ${r.reason}`, { event: 'killSwitch', state: r.killSwitch, by: r.by, reason: r.reason });
  });
}

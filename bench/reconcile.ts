// live.reconcile: reconciling a journal of 1,000 working orders and 100 positions with a broker's view (a third
// of the orders filled or closed while we were down, strangers, a position off): the comparison that decides the
// corrections, in ms (target < 1 s; the baseline is that target). Broker round trips are not in the figure: they
// depend on the broker, and the reconciler asks only for open orders, positions and the orders that left the book.

import { reconcile, type JournalOrder, type OrderReport, type ReconcileInput } from '../src/execution/reconcile/reconcile.js';
import { bestMs, cost, type BenchRecord } from './measure.js';

const ORDERS = 1_000;
const SYMBOLS = 100;

function input(): ReconcileInput {
  const journalOrders: JournalOrder[] = [];
  const open: OrderReport[] = [];
  const resolved = new Map<string, OrderReport | null>();
  const journalPositions = new Map<string, number>();
  const brokerPositions = new Map<string, number>();
  for (let s = 0; s < SYMBOLS; s++) {
    journalPositions.set(`S${s}`, 100);
    brokerPositions.set(`S${s}`, 100);
  }
  for (let i = 0; i < ORDERS; i++) {
    const symbol = `S${i % SYMBOLS}`;
    const o: JournalOrder = { clientOrderId: `p-${i}`, symbol, side: 'buy', quantity: 10, filledQuantity: 0, filledNotional: 0 };
    journalOrders.push(o);
    const r: OrderReport = { clientOrderId: o.clientOrderId, brokerOrderId: `b-${i}`, symbol, side: 'buy', quantity: 10, filledQuantity: 0, avgFillPrice: 0, status: 'working' };
    if (i % 3 === 0) {
      resolved.set(o.clientOrderId, { ...r, filledQuantity: 10, avgFillPrice: 50, status: 'filled' });
      brokerPositions.set(symbol, (brokerPositions.get(symbol) ?? 0) + 10);
    } else if (i % 3 === 1) open.push(r);
    else resolved.set(o.clientOrderId, { ...r, status: 'canceled' });
  }
  for (let i = 0; i < 20; i++) open.push({ clientOrderId: `web-${i}`, brokerOrderId: `w-${i}`, symbol: 'S0', side: 'sell', quantity: 1, filledQuantity: 0, avgFillPrice: 0, status: 'working' });
  brokerPositions.set('S1', (brokerPositions.get('S1') ?? 0) + 1);
  return { journalOrders, journalPositions, brokerOpenOrders: open, brokerResolved: resolved, brokerPositions };
}

export function benchReconcile(): BenchRecord {
  const data = input();
  let corrections = 0;
  const ms = bestMs(20, () => {
    corrections = reconcile(data, { unknownOrders: 'cancel', positionMismatch: 'halt' }).corrections.length;
  });
  return {
    ...cost('live.reconcile', ms, 1_000, 'ms', `${ORDERS} working orders, ${SYMBOLS} positions → ${corrections} corrections, comparison only; baseline: the 1 s target`),
    command: 'npm run bench -- live',
  };
}

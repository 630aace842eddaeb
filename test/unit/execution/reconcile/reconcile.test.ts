// The pure comparison of the journal with a broker: hand-built states, hand-checked corrections.

import { describe, expect, it } from 'vitest';
import { reconcile, type JournalOrder, type OrderReport } from '../../../../src/execution/reconcile/reconcile.js';

const ours = (clientOrderId: string, quantity: number, filledQuantity = 0, filledNotional = 0): JournalOrder => ({ clientOrderId, symbol: 'AAA', side: 'buy', quantity, filledQuantity, filledNotional });
const report = (clientOrderId: string, quantity: number, filledQuantity: number, avgFillPrice: number, status: OrderReport['status'] = 'working'): OrderReport => ({
  clientOrderId,
  brokerOrderId: `b-${clientOrderId}`,
  symbol: 'AAA',
  side: 'buy',
  quantity,
  filledQuantity,
  avgFillPrice,
  status,
});

describe('reconcile', () => {
  it('finds nothing to correct when journal and broker agree', () => {
    const r = reconcile(
      { journalOrders: [ours('p-1', 10, 4, 40)], journalPositions: new Map([['AAA', 4]]), brokerOpenOrders: [report('p-1', 10, 4, 10)], brokerResolved: new Map(), brokerPositions: new Map([['AAA', 4]]) },
      { unknownOrders: 'cancel', positionMismatch: 'halt' },
    );
    expect(r).toEqual({ corrections: [], halt: null });
  });

  it('prices a missed fill from the average the broker reports minus what we applied, and counts it in the position', () => {
    // We applied 4 @ 10; the broker has 10 filled at an average of 10.6: the missing 6 cost 106 − 40 = 66, 11 each.
    const r = reconcile(
      { journalOrders: [ours('p-1', 10, 4, 40)], journalPositions: new Map([['AAA', 4]]), brokerOpenOrders: [], brokerResolved: new Map([['p-1', report('p-1', 10, 10, 10.6, 'filled')]]), brokerPositions: new Map([['AAA', 10]]) },
      { unknownOrders: 'cancel', positionMismatch: 'halt' },
    );
    expect(r.corrections).toHaveLength(1);
    expect(r.corrections[0]).toMatchObject({ kind: 'missedFill', clientOrderId: 'p-1', quantity: 6 });
    expect((r.corrections[0] as { price: number }).price).toBeCloseTo(11, 9);
    expect(r.halt).toBeNull();
  });

  it('closes orders the broker ended, resends ones it never had, and applies the fills of a canceled one first', () => {
    const r = reconcile(
      {
        journalOrders: [ours('p-1', 10), ours('p-2', 5), ours('p-3', 8)],
        journalPositions: new Map(),
        brokerOpenOrders: [],
        brokerResolved: new Map([
          ['p-1', report('p-1', 10, 3, 20, 'canceled')],
          ['p-2', null],
          ['p-3', report('p-3', 8, 0, 0, 'expired')],
        ]),
        brokerPositions: new Map([['AAA', 3]]),
      },
      { unknownOrders: 'cancel', positionMismatch: 'halt' },
    );
    expect(r.corrections).toEqual([
      { kind: 'missedFill', clientOrderId: 'p-1', quantity: 3, price: 20 },
      { kind: 'closedAtBroker', clientOrderId: 'p-1', status: 'canceled' },
      { kind: 'neverReachedBroker', clientOrderId: 'p-2' },
      { kind: 'closedAtBroker', clientOrderId: 'p-3', status: 'expired' },
    ]);
  });

  it('adopts or cancels broker orders nobody here sent, by policy', () => {
    const input = { journalOrders: [], journalPositions: new Map<string, number>(), brokerOpenOrders: [report('web-1', 2, 0, 0)], brokerResolved: new Map(), brokerPositions: new Map<string, number>() };
    expect(reconcile(input, { unknownOrders: 'cancel', positionMismatch: 'halt' }).corrections).toEqual([{ kind: 'unknownOrder', action: 'cancel', order: report('web-1', 2, 0, 0) }]);
    expect(reconcile(input, { unknownOrders: 'adopt', positionMismatch: 'halt' }).corrections[0]).toMatchObject({ kind: 'unknownOrder', action: 'adopt' });
  });

  it('halts on a position difference that missed fills do not explain, or adopts it by policy', () => {
    const input = { journalOrders: [], journalPositions: new Map([['AAA', 5]]), brokerOpenOrders: [], brokerResolved: new Map(), brokerPositions: new Map([['AAA', 7], ['BBB', -2]]) };
    const halted = reconcile(input, { unknownOrders: 'cancel', positionMismatch: 'halt' });
    expect(halted.corrections).toEqual([
      { kind: 'positionMismatch', action: 'halt', symbol: 'AAA', ours: 5, broker: 7 },
      { kind: 'positionMismatch', action: 'halt', symbol: 'BBB', ours: 0, broker: -2 },
    ]);
    expect(halted.halt).toContain('AAA: ours 5, broker 7');
    expect(reconcile(input, { unknownOrders: 'cancel', positionMismatch: 'adopt' }).halt).toBeNull();
  });
});

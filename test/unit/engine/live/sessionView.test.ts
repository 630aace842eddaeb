// The session view the API reads and acts through: its reads follow the session's state, and a modify refused
// by a pre-trade check comes back as a value carrying the denial (the same one the session recorded).

import { describe, expect, it } from 'vitest';
import { sessionView } from '../../../../src/engine/live/sessionView.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { openSession } from '../../../helpers/tradingSession.js';

describe('session view', () => {
  it('reads account, positions, orders and strategies from the session as it steps', async () => {
    const s = await openSession(new MemorySessionStore(), 'view-reads');
    const v = sessionView(s);
    await s.advance(120);
    expect(v.id).toBe('view-reads');
    expect(v.startingCash).toBe(100_000);
    expect(v.status().step).toBe(120);
    expect(v.curve().ts).toHaveLength(120);
    expect(v.account().equity).toBe(v.equity());
    expect(v.positions().map((p) => p.symbol)).toEqual(['AAA', 'BBB']);
    expect(v.orders().length).toBeGreaterThan(0);
    expect(v.orders()).toEqual(s.kernel.oms.all());
    expect(v.strategies().map((i) => [i.config.id, i.running])).toEqual([['sma', true]]);
    expect(v.symbols()).toEqual(['AAA', 'BBB']);
  });

  it('returns a modify refused by risk as a denied result with its denial', async () => {
    const s = await openSession(new MemorySessionStore(), 'view-modify');
    const v = sessionView(s);
    await v.act({ kind: 'stopStrategy', id: 'sma', by: 'test' });
    await s.advance(5);
    const placed = await v.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 1 }, by: 'test' });
    if (placed.kind !== 'order') throw new Error(`expected an order, got ${placed.kind}`);
    const id = placed.order.id;
    await v.act({ kind: 'setRiskConfig', risk: { global: { maxPositionQty: 20 } }, by: 'test' });

    const refused = await v.act({ kind: 'modifyOrder', orderId: id, changes: { quantity: 50 }, by: 'test' });
    expect(refused.kind).toBe('modify');
    if (refused.kind !== 'modify' || refused.result.kind !== 'denied') throw new Error('expected a denied modify');
    expect(refused.result.denial.message.startsWith(`modify #${id}: `)).toBe(true);
    expect(v.recentDenials(1)).toEqual([refused.result.denial]);
    expect(v.order(id)?.quantity).toBe(10);

    const done = await v.act({ kind: 'modifyOrder', orderId: id, changes: { quantity: 15 }, by: 'test' });
    expect(done).toEqual({ kind: 'modify', result: { kind: 'modified' } });
  });
});

// The order state machine with the pending states of cancel and modify: every pair of states is either a
// listed transition or refused with PI5_ERR_BAD_TRANSITION and logged; through an asynchronous venue the
// pending states last until the venue answers, and an answer applies or undoes the request.

import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../../src/core/bus.js';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { OrderManager } from '../../../src/execution/oms.js';
import { assertTransition, ORDER_TRANSITIONS } from '../../../src/execution/orderStates.js';
import type { ExecutionClient } from '../../../src/execution/reports.js';
import type { KernelEvents } from '../../../src/model/events.js';
import { ORDER_STATUSES, type Order, type OrderChanges, type OrderStatus } from '../../../src/model/types.js';
import { T0, day, makeFill } from '../engine/fixtures.js';
import { expectCode } from '../../helpers/errors.js';

/** Every legal transition, written out by hand: the table in orderStates.ts must match it exactly. */
const LEGAL: Record<OrderStatus, OrderStatus[]> = {
  new: ['submitted', 'rejected', 'canceled'],
  submitted: ['accepted', 'rejected', 'canceled', 'pending_cancel'],
  accepted: ['partially_filled', 'filled', 'canceled', 'expired', 'pending_cancel', 'pending_replace'],
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired', 'pending_cancel', 'pending_replace'],
  pending_cancel: ['pending_cancel', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected'],
  pending_replace: ['pending_replace', 'pending_cancel', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  rejected: [],
  canceled: [],
  expired: [],
};

function logSink(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('warn', (l) => lines.push(l)) };
}

function order(status: OrderStatus): Order {
  return {
    id: 7, clientOrderId: 'c-7', brokerOrderId: null, symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 10,
    stopPrice: null, trailAmount: null, trailPercent: null, tif: 'GTC', tag: null, parentId: null, ocoGroup: null, role: null,
    strategyId: null, createdAt: T0, status, filledQuantity: 0, avgFillPrice: 0, updatedAt: T0, rejectReason: null,
  };
}

describe('the transition table', () => {
  it('lists exactly the hand-checked transitions', () => {
    expect(ORDER_TRANSITIONS).toEqual(LEGAL);
  });

  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
  it.each(pairs.filter(([from, to]) => !LEGAL[from].includes(to)))('%s → %s is refused with PI5_ERR_BAD_TRANSITION and logged', (from, to) => {
    const { lines, log } = logSink();
    const o = order(from);
    expectCode(() => assertTransition(o, to, log), 'PI5_ERR_BAD_TRANSITION');
    expect(o.status).toBe(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${from} → ${to} is not allowed`);
    expect(lines[0]).toContain('PI5_ERR_BAD_TRANSITION');
  });

  it.each(pairs.filter(([from, to]) => LEGAL[from].includes(to)))('%s → %s is allowed', (from, to) => {
    const { lines, log } = logSink();
    expect(() => assertTransition(order(from), to, log)).not.toThrow();
    expect(lines).toEqual([]);
  });
});

/** A venue that answers later, as a live broker does. */
class DeferredBroker implements ExecutionClient {
  readonly cancels: Order[] = [];
  readonly replaces: Array<{ order: Order; changes: OrderChanges }> = [];
  submit(): void {}
  cancel(o: Order): boolean {
    this.cancels.push(o);
    return true;
  }
  replace(order: Order, changes: OrderChanges): boolean {
    this.replaces.push({ order, changes });
    return true;
  }
}

function rig(): { oms: OrderManager; broker: DeferredBroker; statuses: OrderStatus[]; lines: string[]; working: Order } {
  const bus = new MessageBus<KernelEvents>();
  const { lines, log } = logSink();
  const oms = new OrderManager(bus, new SimulatedClock(T0), 'pi5', log);
  const broker = new DeferredBroker();
  oms.connect(broker);
  const statuses: OrderStatus[] = [];
  bus.subscribe('orderUpdated', (o) => statuses.push(o.status));
  const working = oms.create({ symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 10 }, null);
  oms.submit(working);
  oms.accepted(working, day(1));
  statuses.length = 0;
  return { oms, broker, statuses, lines, working };
}

describe('pending states through an asynchronous venue', () => {
  it('cancel waits in pending_cancel until the venue cancels', () => {
    const r = rig();
    expect(r.oms.cancel(r.working.id)).toBe(true);
    expect(r.working.status).toBe('pending_cancel');
    expect(r.oms.cancel(r.working.id)).toBe(false); // already asked
    r.oms.canceled(r.working, day(2), 'canceled by request');
    expect(r.statuses).toEqual(['pending_cancel', 'canceled']);
    expect(r.broker.cancels).toHaveLength(1);
  });

  it('a refused cancel returns the order to its working state', () => {
    const r = rig();
    r.oms.filled(r.working, makeFill('buy', 30, 10, { orderId: r.working.id }));
    r.oms.cancel(r.working.id);
    r.oms.cancelRejected(r.working, day(2), 'too late');
    expect(r.statuses).toEqual(['partially_filled', 'pending_cancel', 'partially_filled']);
    expect(r.lines.some((l) => l.includes('cancel refused: too late'))).toBe(true);
  });

  it('modify waits in pending_replace; the venue’s replaced applies the new terms', () => {
    const r = rig();
    expect(r.oms.modify(r.working.id, { limitPrice: 11, quantity: 80 })).toBe(true);
    expect(r.working).toMatchObject({ status: 'pending_replace', limitPrice: 10, quantity: 100 });
    r.oms.replaced(r.working, day(2));
    expect(r.working).toMatchObject({ status: 'accepted', limitPrice: 11, quantity: 80, id: 1, clientOrderId: 'pi5-1' });
    expect(r.statuses).toEqual(['pending_replace', 'accepted']);
  });

  it('a refused replace keeps the old terms', () => {
    const r = rig();
    r.oms.modify(r.working.id, { limitPrice: 11 });
    r.oms.replaceRejected(r.working, day(2), 'unknown order');
    expect(r.working).toMatchObject({ status: 'accepted', limitPrice: 10 });
    expect(r.statuses).toEqual(['pending_replace', 'accepted']);
  });

  it('a partial fill while pending keeps the pending state; a complete one ends the order', () => {
    const r = rig();
    r.oms.modify(r.working.id, { limitPrice: 11 });
    r.oms.filled(r.working, makeFill('buy', 30, 10, { orderId: r.working.id }));
    expect(r.working.status).toBe('pending_replace');
    r.oms.replaced(r.working, day(2));
    expect(r.working).toMatchObject({ status: 'partially_filled', limitPrice: 11, filledQuantity: 30 });
    r.oms.cancel(r.working.id);
    r.oms.filled(r.working, makeFill('buy', 70, 11, { orderId: r.working.id }));
    expect(r.statuses).toEqual(['pending_replace', 'pending_replace', 'partially_filled', 'pending_cancel', 'filled']);
  });

  it('a cancel may follow a pending modify; the late replace still applies and the cancel stays pending', () => {
    const r = rig();
    r.oms.modify(r.working.id, { limitPrice: 11 });
    expect(r.oms.cancel(r.working.id)).toBe(true);
    r.oms.replaced(r.working, day(2));
    expect(r.working).toMatchObject({ status: 'pending_cancel', limitPrice: 11 });
    r.oms.canceled(r.working, day(3), 'canceled by request');
    expect(r.statuses).toEqual(['pending_replace', 'pending_cancel', 'pending_cancel', 'canceled']);
  });

  it('a second modify while one is pending is refused and logged', () => {
    const r = rig();
    r.oms.modify(r.working.id, { limitPrice: 11 });
    expectCode(() => r.oms.modify(r.working.id, { limitPrice: 12 }), 'PI5_ERR_BAD_TRANSITION');
    expect(r.lines.some((l) => l.includes('pending_replace → pending_replace is not allowed'))).toBe(true);
    expect(r.broker.replaces).toHaveLength(1);
  });

  it('modifying a filled or canceled order is refused with PI5_ERR_BAD_TRANSITION and logged', () => {
    for (const end of ['filled', 'canceled'] as const) {
      const r = rig();
      if (end === 'filled') r.oms.filled(r.working, makeFill('buy', 100, 10, { orderId: r.working.id }));
      else r.oms.canceled(r.working, day(2), 'by venue');
      const before = r.statuses.length;
      expectCode(() => r.oms.modify(r.working.id, { quantity: 50 }), 'PI5_ERR_BAD_TRANSITION');
      expect(r.lines.some((l) => l.includes(`${end} → pending_replace is not allowed`))).toBe(true);
      expect(r.statuses.length).toBe(before);
    }
  });

  it('a quantity at or below the filled quantity is refused with PI5_ERR_BAD_ORDER before anything changes', () => {
    const r = rig();
    r.oms.filled(r.working, makeFill('buy', 40, 10, { orderId: r.working.id }));
    expectCode(() => r.oms.modify(r.working.id, { quantity: 40 }), 'PI5_ERR_BAD_ORDER');
    expectCode(() => r.oms.modify(r.working.id, { quantity: 39 }), 'PI5_ERR_BAD_ORDER');
    expect(r.working).toMatchObject({ status: 'partially_filled', quantity: 100 });
    expect(r.broker.replaces).toEqual([]);
  });

  it('a venue without replace cannot modify: refused, the order untouched', () => {
    const bus = new MessageBus<KernelEvents>();
    const oms = new OrderManager(bus, new SimulatedClock(T0));
    oms.connect({ submit: () => undefined, cancel: () => true });
    const o = oms.create({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 10 }, null);
    oms.submit(o);
    oms.accepted(o, T0);
    expect(oms.modify(o.id, { limitPrice: 11 })).toBe(false);
    expect(o).toMatchObject({ status: 'accepted', limitPrice: 10 });
  });
});

// Recovery replays every action sequence the live path accepted: a session killed at any write (a step's, an
// action's journal entry, or the orders an action made) and reopened from storage ends with the same orders,
// fills and equity as the run that was never interrupted. Seeded by fast-check (FC_SEED / FC_PATH replay a case).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../src/model/types.js';
import type { SessionAction } from '../../../../src/engine/live/sessionActions.js';
import { MemorySessionStore, type SessionWrite, type StoredSession, type TradingSessionStore } from '../../../../src/engine/live/sessionStore.js';
import type { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { demoSeries, openSession } from '../../../helpers/tradingSession.js';

/** A process killed after `writesLeft` writes: the next write (and everything after it) never reaches storage. */
class KilledAfter implements TradingSessionStore {
  dead = false;
  constructor(
    readonly inner: MemorySessionStore,
    private writesLeft: number,
  ) {}
  load(id: string): Promise<StoredSession | null> {
    return this.inner.load(id);
  }
  create(id: string, config: unknown): Promise<void> {
    return this.inner.create(id, config);
  }
  async write(w: SessionWrite): Promise<void> {
    if (this.dead || this.writesLeft-- <= 0) {
      this.dead = true;
      throw new Error('killed');
    }
    await this.inner.write(w);
  }
  async setStatus(id: string, status: string): Promise<void> {
    if (!this.dead) await this.inner.setStatus(id, status);
  }
}

type Op =
  | { readonly k: 'step'; readonly n: number }
  | { readonly k: 'submit'; readonly symbol: string; readonly side: 'buy' | 'sell'; readonly quantity: number; readonly limitPct: number | null }
  | { readonly k: 'modify'; readonly pick: number; readonly quantity: number | null; readonly limitPct: number | null }
  | { readonly k: 'cancel'; readonly pick: number }
  | { readonly k: 'cancelAll'; readonly symbol: string | null }
  | { readonly k: 'kill'; readonly trip: boolean }
  | { readonly k: 'params'; readonly fast: number; readonly slow: number }
  | { readonly k: 'rebalance'; readonly weight: number };

const symbol = fc.constantFrom('AAA', 'BBB');
const pct = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('step' as const), n: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('submit' as const), symbol, side: fc.constantFrom('buy' as const, 'sell' as const), quantity: fc.integer({ min: 1, max: 300 }), limitPct: pct }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('modify' as const), pick: fc.nat(), quantity: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }), limitPct: pct }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancelAll' as const), symbol: fc.option(symbol, { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('kill' as const), trip: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('params' as const), fast: fc.integer({ min: 2, max: 8 }), slow: fc.integer({ min: 10, max: 25 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rebalance' as const), weight: fc.integer({ min: -3, max: 6 }).map((w) => w / 10) }) },
);

const SERIES = demoSeries(160);

/** The session action an op stands for, on the session's state now (orders are picked among those it holds). */
function actionOf(s: TradingSession, o: Exclude<Op, { k: 'step' }>): SessionAction {
  const by = 'prop';
  const orders = s.kernel.oms.all();
  const picked = (pick: number): number => orders[pick % Math.max(1, orders.length)]?.id ?? 1;
  const price = (sym: string, p: number): number => Math.round(s.kernel.market.lastClose(sym) * (1 + p / 100) * 100) / 100 || 1;
  switch (o.k) {
    case 'submit':
      return { kind: 'submitOrder', by, request: o.limitPct === null ? { symbol: o.symbol, side: o.side, quantity: o.quantity } : { symbol: o.symbol, side: o.side, quantity: o.quantity, type: 'limit', limitPrice: price(o.symbol, o.limitPct) } };
    case 'modify': {
      const id = picked(o.pick);
      const target = orders.find((x) => x.id === id);
      const limit = o.limitPct === null || target?.type !== 'limit' ? {} : { limitPrice: price(target.symbol, o.limitPct) };
      return { kind: 'modifyOrder', by, orderId: id, changes: { ...(o.quantity === null ? {} : { quantity: o.quantity }), ...limit } };
    }
    case 'cancel':
      return { kind: 'cancelOrder', by, orderId: picked(o.pick) };
    case 'cancelAll':
      return o.symbol === null ? { kind: 'cancelAll', by } : { kind: 'cancelAll', by, symbol: o.symbol };
    case 'kill':
      return o.trip ? { kind: 'tripKillSwitch', by, reason: 'prop' } : { kind: 'resetKillSwitch', by, reason: 'prop' };
    case 'params':
      return s.status().strategies.includes('p')
        ? { kind: 'stopStrategy', by, id: 'p' }
        : { kind: 'startStrategy', by, instance: { id: 'p', strategy: 'sma-cross', params: { fast: o.fast, slow: o.slow }, symbols: ['AAA', 'BBB'], size: '20' } };
    case 'rebalance':
      return { kind: 'rebalance', by, weights: { AAA: o.weight } };
  }
}

/** Runs op `o`; a refused action is part of the run (the same refusal on the same state). */
async function run(s: TradingSession, o: Op, stepsAfter: number): Promise<void> {
  if (o.k === 'step') {
    await s.advance(stepsAfter - s.ledger.stepCount);
    return;
  }
  await s.act(actionOf(s, o)).catch(() => undefined);
}

function shape(orders: readonly Order[]): string[] {
  return orders.map((o) => `${o.clientOrderId} ${o.symbol} ${o.side} ${o.quantity} ${o.type} ${o.limitPrice ?? ''} ${o.status} ${o.filledQuantity} ${o.avgFillPrice.toFixed(8)}`);
}

const FINAL_STEPS = 120;

describe('paper session recovery (property)', () => {
  it('after a kill at any write, recovery plus the rest of the actions reproduces the uninterrupted run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), fc.nat({ max: 200 }), async (ops, killAt) => {
        // Steps each op leaves the run at (actions keep it; step ops add theirs, within the replay).
        const stepsAfter: number[] = [];
        let n = 0;
        for (const o of ops) stepsAfter.push((n = o.k === 'step' ? Math.min(FINAL_STEPS, n + o.n) : n));

        const reference = await openSession(new MemorySessionStore(), 'prop', SERIES);
        for (const [i, o] of ops.entries()) await run(reference, o, stepsAfter[i] as number);
        await reference.advance(FINAL_STEPS - reference.ledger.stepCount);

        const inner = new MemorySessionStore();
        const killed = new KilledAfter(inner, killAt);
        const first = await openSession(killed, 'prop', SERIES);
        const journaled = async (): Promise<number> => (await inner.load('prop'))?.actions.length ?? 0;
        let resumeAt = ops.length;
        for (const [i, o] of ops.entries()) {
          const before = await journaled();
          await run(first, o, stepsAfter[i] as number).catch(() => undefined);
          if (!killed.dead) continue;
          // An action whose journal entry was written happened; one the kill refused is sent again, as a client
          // would; a step is simply run on to its count.
          resumeAt = o.k !== 'step' && (await journaled()) > before ? i + 1 : i;
          break;
        }
        if (!killed.dead) await first.advance(FINAL_STEPS - first.ledger.stepCount).catch(() => undefined);

        const second = await openSession(inner, 'prop', SERIES);
        expect(second.status().failure).toBeNull();
        for (const [j, o] of ops.entries()) if (j >= resumeAt) await run(second, o, stepsAfter[j] as number);
        await second.advance(FINAL_STEPS - second.ledger.stepCount);

        expect(shape(second.kernel.oms.all())).toEqual(shape(reference.kernel.oms.all()));
        expect(second.kernel.portfolio.equity()).toBe(reference.kernel.portfolio.equity());
        expect(second.kernel.portfolio.cash()).toBe(reference.kernel.portfolio.cash());
        expect(second.ledger.curveEquity).toEqual(reference.ledger.curveEquity);
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

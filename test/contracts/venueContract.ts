// The venue contract: what every venue (simulated exchange, write-ahead wrapper, broker adapter against its
// fake) must do behind the Venue interface, checked through a real order manager on a real bus. A venue's test
// file calls venueContract() with a factory; src/execution/venues/_template/README.md says how.

import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../src/core/bus.js';
import { SimulatedClock } from '../../src/core/clock.js';
import { Pi5Error } from '../../src/core/errors.js';
import { OrderManager } from '../../src/execution/oms.js';
import type { Venue, VenueDeps } from '../../src/execution/venues/venue.js';
import type { KernelEvents } from '../../src/model/events.js';
import type { Bar, Fill, Instrument, Order, OrderRequest } from '../../src/model/types.js';

/** A venue under test and the hands that move its market. */
export interface VenueUnderTest {
  readonly venue: Venue;
  /**
   * A bar trades on the venue's market (the simulated exchange: venue.onBar; a broker fake: its matching
   * engine). The contract's bars follow its rules for liquidity: at most half a bar's volume fills per bar.
   */
  market(bar: Bar): void | Promise<void>;
  /** Lets the requests made so far reach the venue and its answers come back (write-ahead: release them). */
  settle(): void | Promise<void>;
}

export type VenueUnderTestFactory = (deps: VenueDeps) => VenueUnderTest;

const DAY_MS = 86_400_000;
/** Monday 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);
const INSTRUMENTS: readonly Instrument[] = ['AAA', 'BBB'].map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));

interface Rig {
  readonly oms: OrderManager;
  readonly clock: SimulatedClock;
  readonly fills: Fill[];
  readonly v: VenueUnderTest;
  /** Creates and sends an order, then settles. */
  send(request: OrderRequest): Promise<Order>;
  /** A daily bar number `day` of `symbol`: open, high, low, close, volume. */
  bar(day: number, ohlcv: readonly [number, number, number, number, number], symbol?: string): Promise<void>;
}

function rig(create: VenueUnderTestFactory): Rig {
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0 - DAY_MS);
  const oms = new OrderManager(bus, clock, 'contract');
  const find = (s: string): Instrument | undefined => INSTRUMENTS.find((i) => i.symbol === s);
  const v = create({
    reports: oms,
    instrument: (s) => {
      const i = find(s);
      if (i === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown symbol ${s}`);
      return i;
    },
    hasInstrument: (s) => find(s) !== undefined,
    now: () => clock.now(),
  });
  oms.connect(v.venue);
  const fills: Fill[] = [];
  bus.subscribe('orderFilled', (f) => void fills.push(f));
  return {
    oms,
    clock,
    fills,
    v,
    async send(request) {
      const order = oms.create(request, 'contract');
      oms.submit(order);
      await v.settle();
      return order;
    },
    async bar(day, [open, high, low, close, volume], symbol = 'AAA') {
      const ts = T0 + day * DAY_MS;
      clock.advanceTo(ts);
      await v.market({ symbol, timeframe: '1d', ts, open, high, low, close, volume });
      await v.settle();
    },
  };
}

const QUIET = [100, 101, 99, 100, 1_000_000] as const;
/** A bar that trades down to 40: fills any buy limit at or above it. */
const DIP = [100, 101, 40, 100, 1_000_000] as const;

function expectFillsInRange(fills: readonly Fill[], low: number, high: number): void {
  for (const f of fills) {
    expect(f.price).toBeGreaterThanOrEqual(low);
    expect(f.price).toBeLessThanOrEqual(high);
  }
}

function submitCases(create: VenueUnderTestFactory): void {
  it('accepts a market order and fills it in full on the next bar, within the bar', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' });
    expect(o.status).toBe('accepted');
    await r.bar(0, QUIET);
    expect(o.status).toBe('filled');
    expect(o.filledQuantity).toBe(10);
    expect(r.fills.map((f) => f.clientOrderId)).toEqual([o.clientOrderId]);
    expectFillsInRange(r.fills, 99, 101);
  });

  it('fills a large order partially, bar by bar, never over its quantity', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'AAA', side: 'sell', quantity: 120, type: 'market' });
    await r.bar(0, [100, 101, 99, 100, 100]);
    expect(o.status).toBe('partially_filled');
    expect(o.filledQuantity).toBeGreaterThan(0);
    expect(o.filledQuantity).toBeLessThan(120);
    for (let d = 1; d < 10 && o.status !== 'filled'; d++) await r.bar(d, [100, 101, 99, 100, 100]);
    expect(o.status).toBe('filled');
    expect(r.fills.reduce((n, f) => n + f.quantity, 0)).toBe(120);
    expect(r.fills.length).toBeGreaterThan(1);
  });

  it('rejects an order it cannot take (a symbol it does not know), with a reason', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'ZZZ', side: 'buy', quantity: 1, type: 'market' });
    expect(o.status).toBe('rejected');
    expect(o.rejectReason ?? '').not.toBe('');
    expect(await r.v.venue.workingOrders()).toEqual([]);
  });
}

function cancelCases(create: VenueUnderTestFactory): void {
  it('cancels a working order: it never fills afterwards', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50 });
    await r.bar(0, QUIET);
    expect(o.status).toBe('accepted');
    expect(r.oms.cancel(o.id)).toBe(true);
    await r.v.settle();
    expect(o.status).toBe('canceled');
    await r.bar(1, DIP);
    expect(r.fills).toEqual([]);
  });

  it('cancels every working order of one symbol, then of all, with cancelAll', async () => {
    const r = rig(create);
    const limit = (symbol: string): OrderRequest => ({ symbol, side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    const a1 = await r.send(limit('AAA'));
    const a2 = await r.send(limit('AAA'));
    const b = await r.send(limit('BBB'));
    expect(r.v.venue.cancelAll('AAA')).toBe(2);
    await r.v.settle();
    expect([a1.status, a2.status, b.status]).toEqual(['canceled', 'canceled', 'accepted']);
    expect(r.v.venue.cancelAll()).toBe(1);
    await r.v.settle();
    expect(b.status).toBe('canceled');
    expect(await r.v.venue.workingOrders()).toEqual([]);
  });

  it('expires a DAY order that did not fill on its day', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50, tif: 'DAY' });
    await r.bar(0, QUIET);
    await r.bar(1, DIP);
    expect(o.status).toBe('expired');
    expect(r.fills).toEqual([]);
  });
}

function modifyCases(create: VenueUnderTestFactory): void {
  it('modifies a working order in place: same ids, new terms, fills on them', async () => {
    const r = rig(create);
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50 });
    await r.bar(0, QUIET);
    const ids = [o.id, o.clientOrderId];
    expect(r.oms.modify(o.id, { limitPrice: 99.5, quantity: 12 })).toBe(true);
    await r.v.settle();
    expect(o.status).toBe('accepted');
    expect([o.id, o.clientOrderId]).toEqual(ids);
    expect([o.limitPrice, o.quantity]).toEqual([99.5, 12]);
    await r.bar(1, QUIET);
    expect(o.status).toBe('filled');
    expect(o.filledQuantity).toBe(12);
    for (const f of r.fills) expect(f.price).toBeLessThanOrEqual(99.5);
  });
}

function restartCases(create: VenueUnderTestFactory): void {
  it('reports what it holds: a restart rebuilds the working orders, with what is left of each, from the venue', async () => {
    const r = rig(create);
    const partial = await r.send({ symbol: 'AAA', side: 'buy', quantity: 120, type: 'market' });
    const resting = await r.send({ symbol: 'BBB', side: 'sell', quantity: 7, type: 'limit', limitPrice: 500 });
    const done = await r.send({ symbol: 'BBB', side: 'buy', quantity: 3, type: 'market' });
    const canceled = await r.send({ symbol: 'AAA', side: 'buy', quantity: 4, type: 'limit', limitPrice: 50 });
    r.oms.cancel(canceled.id);
    await r.v.settle();
    await r.bar(0, [100, 101, 99, 100, 100]);
    await r.bar(0, QUIET, 'BBB');
    expect([partial.status, resting.status, done.status, canceled.status]).toEqual(['partially_filled', 'accepted', 'filled', 'canceled']);
    // What a restarted session knows is only what the venue reports.
    const rebuilt = new Map((await r.v.venue.workingOrders()).map((w) => [w.clientOrderId, w]));
    expect([...rebuilt.keys()].sort()).toEqual([partial.clientOrderId, resting.clientOrderId].sort());
    for (const o of [partial, resting]) {
      const w = rebuilt.get(o.clientOrderId);
      expect(w).toMatchObject({ symbol: o.symbol, side: o.side, quantity: o.quantity, leavesQuantity: o.quantity - o.filledQuantity });
    }
    expect(new Set(r.oms.openOrders().map((o) => o.clientOrderId))).toEqual(new Set(rebuilt.keys()));
    // An order whose send outcome is unknown is looked up by client id before it is sent again.
    expect(await r.v.venue.lookup(resting.clientOrderId)).toMatchObject({ clientOrderId: resting.clientOrderId, leavesQuantity: 7 });
    expect(await r.v.venue.lookup(done.clientOrderId)).toBeNull();
    expect(await r.v.venue.lookup('never-sent-1')).toBeNull();
  });
}

/** Registers the contract's cases for one venue. */
export function venueContract(name: string, create: VenueUnderTestFactory): void {
  describe(`venue contract: ${name}`, () => {
    submitCases(create);
    cancelCases(create);
    modifyCases(create);
    restartCases(create);
  });
}

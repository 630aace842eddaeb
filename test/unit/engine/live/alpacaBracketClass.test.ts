// Brackets as Alpaca's own order classes: an entry with both exits is sent as one `bracket` order, with one exit
// as one `oto`, in one request under the entry's client id, so the position is protected at the broker from its
// first share. The fake holds the legs until the entry fills and makes the exits cancel each other, as Alpaca
// does. The exits the OMS releases once the entry fills are answered from the legs (nothing more is POSTed); an
// exit amended while held is carried to its leg by a replace; a session reopened from its journal finds the legs
// through the entry (nested=true) whether the entry is still working, filled while it was down, or done.

import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { barAt, type BarSeries } from '../../../../src/model/barSeries.js';
import type { BracketRequest, Order } from '../../../../src/model/types.js';
import { openAtAlpaca, restartAtAlpaca, stepAtAlpaca, type AtAlpaca } from '../../../helpers/alpacaSession.js';
import type { FakeOrder } from '../../../helpers/fakeAlpacaMatcher.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { demoSeries } from '../../../helpers/tradingSession.js';

const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

type Running = AtAlpaca;
const ID = 'bracket-class';
const step = stepAtAlpaca;
const restart = (fake: FakeAlpacaTrading, r: Running, store: MemorySessionStore, series: BarSeries[], whileDown: () => void): Promise<Running> => restartAtAlpaca(fake, r, store, series, ID, whileDown);

async function fixture(): Promise<{ fake: FakeAlpacaTrading; series: BarSeries[]; store: MemorySessionStore; r: Running }> {
  const fake = await startFakeAlpacaTrading();
  fakes.push(fake);
  const series = demoSeries(20);
  const store = new MemorySessionStore();
  const r = await openAtAlpaca(fake, store, series, ID);
  await step(fake, r, series, 0);
  return { fake, series, store, r };
}

async function bracket(r: Running, request: BracketRequest): Promise<void> {
  await r.session.act({ kind: 'submitBracket', request, by: 'test' });
  await r.broker.flush();
}

const ours = (r: Running): Order[] => r.session.kernel.oms.all();
const view = (r: Running): (string | number | null)[][] => ours(r).map((o) => [o.role, o.status, o.filledQuantity]);

function sentBracket(fake: FakeAlpacaTrading): FakeOrder {
  const parent = fake.matcher.orders.find((o) => o.orderClass === 'bracket' || o.orderClass === 'oto');
  if (parent === undefined || fake.matcher.isLeg(parent)) throw new Error('no bracket or oto order reached the fake');
  return parent;
}

const legOf = (parent: FakeOrder, type: string): FakeOrder => {
  const leg = parent.legs.find((l) => l.type === type);
  if (leg === undefined) throw new Error(`no ${type} leg under ${parent.clientOrderId}`);
  return leg;
};

describe('Alpaca bracket and oto order classes', () => {
  it('sends entry and exits in one bracket request; legs held until the entry fills, then working; the exits cancel each other', async () => {
    const { fake, series, r } = await fixture();
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 1, limitPrice: 0.5 } });
    const [entry] = ours(r);
    const parent = sentBracket(fake);
    expect(fake.posted).toEqual([entry?.clientOrderId]);
    expect(parent.orderClass).toBe('bracket');
    expect(parent.legs.map((l) => [l.type, l.side, l.status, l.limit, l.stop])).toEqual([
      ['limit', 'sell', 'held', 1000, null],
      ['stop_limit', 'sell', 'held', 0.5, 1],
    ]);
    // Before the entry fills, the exits are ours to hold; the held legs are not strangers.
    expect(view(r)).toEqual([
      ['entry', 'accepted', 0],
      ['take-profit', 'new', 0],
      ['stop-loss', 'new', 0],
    ]);

    await step(fake, r, series, 1);
    expect(parent.status).toBe('filled');
    // As at Alpaca: the take-profit goes to the market, the stop leg stays held until its stop is hit.
    expect(parent.legs.map((l) => l.status)).toEqual(['new', 'held']);
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'accepted', 0],
      ['stop-loss', 'accepted', 0],
    ]);
    expect(fake.posted).toHaveLength(1);

    // The market reaches the stop: Alpaca fills it and cancels the take-profit.
    fake.matcher.fill(legOf(parent, 'stop_limit'), 10, 0.75);
    await r.broker.flush();
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'canceled', 0],
      ['stop-loss', 'filled', 10],
    ]);
    expect(r.session.kernel.portfolio.quantity('AAA')).toBe(0);
    expect(fake.matcher.positions()).toEqual([]);
    await r.session.stop();
  });

  it('sends an entry with one exit as oto; a canceled entry cancels its held leg', async () => {
    const { fake, r } = await fixture();
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 1 }, stopLoss: { stopPrice: 0.5 } });
    const parent = sentBracket(fake);
    expect(parent.orderClass).toBe('oto');
    expect(parent.legs.map((l) => [l.type, l.status])).toEqual([['stop', 'held']]);
    const [entry] = ours(r);
    await r.session.act({ kind: 'cancelOrder', orderId: entry?.id ?? 0, by: 'test' });
    await r.broker.flush();
    expect([parent.status, parent.legs[0]?.status]).toEqual(['canceled', 'canceled']);
    expect(view(r)).toEqual([
      ['entry', 'canceled', 0],
      ['stop-loss', 'canceled', 0],
    ]);
    await r.session.stop();
  });

  it('carries an exit amended while held to its leg by a replace once the entry fills', async () => {
    const { fake, series, r } = await fixture();
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 1 } });
    const sl = ours(r).find((o) => o.role === 'stop-loss');
    await r.session.act({ kind: 'modifyOrder', orderId: sl?.id ?? 0, changes: { stopPrice: 2 }, by: 'test' });
    await step(fake, r, series, 1);
    const parent = sentBracket(fake);
    const stop = legOf(parent, 'stop');
    expect([stop.stop, stop.status, stop.clientOrderId]).toEqual([2, 'held', `${sl?.clientOrderId ?? ''}~r1`]);
    expect(fake.posted).toHaveLength(1);
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'accepted', 0],
      ['stop-loss', 'accepted', 0],
    ]);
    await r.session.stop();
  });

  it('finds the legs after restarts: held (entry working), entry filled while down, a leg filled while down — applied once, nothing resent', async () => {
    const { fake, series, store, r: first } = await fixture();
    let r = first;
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 1 }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 0.5 } });
    const parent = sentBracket(fake);
    const posted = [...fake.posted];

    r = await restart(fake, r, store, series, () => undefined);
    expect(parent.legs.map((l) => l.status)).toEqual(['held', 'held']);
    expect(view(r)).toEqual([
      ['entry', 'accepted', 0],
      ['take-profit', 'new', 0],
      ['stop-loss', 'new', 0],
    ]);
    expect(r.session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', corrections: [], halt: null });

    r = await restart(fake, r, store, series, () => fake.matcher.fill(parent, 10, 1));
    expect(parent.legs.map((l) => l.status)).toEqual(['new', 'held']);
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'accepted', 0],
      ['stop-loss', 'accepted', 0],
    ]);
    expect(r.session.status().broker?.reconciliation).toMatchObject({ corrections: [], halt: null });

    r = await restart(fake, r, store, series, () => fake.matcher.fill(legOf(parent, 'limit'), 10, 1000));
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'filled', 10],
      ['stop-loss', 'canceled', 0],
    ]);
    expect(r.session.kernel.portfolio.quantity('AAA')).toBe(0);
    expect(fake.matcher.positions()).toEqual([]);
    expect(fake.posted).toEqual(posted);
    expect(r.session.status().broker?.reconciliation?.halt).toBeNull();
    await r.session.stop();
  });

  it('a bracket whose answer was lost is found by client id with its legs: bound, not sent twice', async () => {
    const { fake, series, r } = await fixture();
    fake.loseNextAnswer();
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 1 } });
    await step(fake, r, series, 1);
    const parent = sentBracket(fake);
    expect(fake.posted).toHaveLength(1);
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'accepted', 0],
      ['stop-loss', 'accepted', 0],
    ]);
    fake.matcher.fill(legOf(parent, 'limit'), 10, 1000);
    await r.broker.flush();
    expect(view(r).map((v) => v[1])).toEqual(['filled', 'filled', 'canceled']);
    expect(r.session.status().broker?.reconciliation?.corrections ?? []).toEqual([]);
    await r.session.stop();
  });

  it('a bracket that never reached Alpaca (every send lost) goes out whole after a restart, once', async () => {
    const { fake, series, store, r: first } = await fixture();
    const lost = { status: 503, code: 50300000, message: 'service unavailable' };
    fake.refuseNext(lost, lost, lost);
    await bracket(first, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 1 }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 0.5 } });
    expect(fake.matcher.orders).toEqual([]);
    const r = await restart(fake, first, store, series, () => undefined);
    const parent = sentBracket(fake);
    const [entry] = ours(r);
    expect([parent.clientOrderId, parent.orderClass, parent.legs.map((l) => l.status)]).toEqual([entry?.clientOrderId, 'bracket', ['held', 'held']]);
    expect(fake.matcher.orders.filter((o) => !fake.matcher.isLeg(o))).toHaveLength(1);
    expect(view(r)).toEqual([
      ['entry', 'accepted', 0],
      ['take-profit', 'new', 0],
      ['stop-loss', 'new', 0],
    ]);
    await r.session.stop();
  });

  it('an exit canceled here while held has its leg canceled at Alpaca once the entry fills', async () => {
    const { fake, series, r } = await fixture();
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' }, takeProfit: { limitPrice: 10_000 }, stopLoss: { stopPrice: 1 } });
    const tp = ours(r).find((o) => o.role === 'take-profit');
    await r.session.act({ kind: 'cancelOrder', orderId: tp?.id ?? 0, by: 'test' });
    await step(fake, r, series, 1);
    const parent = sentBracket(fake);
    // (Alpaca cancels the stop with it: its exits are one-cancels-other.)
    expect(legOf(parent, 'limit').status).toBe('canceled');
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'canceled', 0],
      ['stop-loss', 'canceled', 0],
    ]);
    await r.session.stop();
  });

  it('a stop leg still held after the entry filled trades when a bar reaches its stop', async () => {
    const { fake, series, r } = await fixture();
    const next = barAt(series[0] as BarSeries, 2);
    await bracket(r, { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' }, takeProfit: { limitPrice: 10_000 }, stopLoss: { stopPrice: next.low + 0.01 } });
    await step(fake, r, series, 1);
    expect(legOf(sentBracket(fake), 'stop').status).toBe('held');
    await step(fake, r, series, 2);
    expect(view(r)).toEqual([
      ['entry', 'filled', 10],
      ['take-profit', 'canceled', 0],
      ['stop-loss', 'filled', 10],
    ]);
    expect(fake.matcher.positions()).toEqual([]);
    await r.session.stop();
  });
});

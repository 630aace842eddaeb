// The IB venue against the fake IB Gateway, beyond the venue contract: IB's order types, refusals by error code,
// delayed acknowledgements, a cancel that loses the race with a fill, commission reports on fills, positions and
// account values, and a dropped connection with fills while away applied exactly once after the reconnect.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { IbConnection } from '../../../../../src/execution/venues/ib/connection.js';
import { placeOrder } from '../../../../../src/execution/venues/ib/outgoing.js';
import { toPu } from '../../../../../src/model/money.js';
import { ibRig, type IbRig } from '../../../../helpers/ibFake/rig.js';

let r: IbRig | null = null;
afterEach(async () => {
  await r?.close();
  r = null;
});

const QUIET = [100, 101, 99, 100, 1_000_000] as const;

describe('IB venue: orders', () => {
  it('sends our client order id as orderRef and IB order ids that only grow', async () => {
    r = await ibRig();
    const a = await r.send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50, clientOrderId: 'mine-1' });
    const b = await r.send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    expect(r.fake.placed.map((p) => p.orderRef)).toEqual(['mine-1', b.clientOrderId]);
    expect(Number(b.brokerOrderId)).toBeGreaterThan(Number(a.brokerOrderId));
    expect(await r.venue.lookup('mine-1')).toMatchObject({ clientOrderId: 'mine-1', symbol: 'AAA', side: 'buy', quantity: 5, leavesQuantity: 5 });
  });

  it('fills stop, stop-limit and trailing stops when the market reaches them, at IB prices with commission', async () => {
    r = await ibRig();
    const stop = await r.send({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'stop', stopPrice: 95 });
    const stopLimit = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'stop-limit', stopPrice: 104, limitPrice: 105 });
    const trail = await r.send({ symbol: 'BBB', side: 'sell', quantity: 10, type: 'trailing-stop', trailAmount: 2 });
    await r.bar(0, QUIET);
    await r.bar(0, [100, 110, 99, 109, 1_000_000], 'BBB');
    expect([stop.status, stopLimit.status, trail.status]).toEqual(['accepted', 'accepted', 'accepted']);
    await r.bar(1, [100, 106, 94, 100, 1_000_000]);
    await r.bar(1, [109, 109, 100, 101, 1_000_000], 'BBB');
    expect([stop.status, stopLimit.status, trail.status]).toEqual(['filled', 'filled', 'filled']);
    const byOrder = new Map(r.fills.map((f) => [f.clientOrderId, f]));
    expect(byOrder.get(stop.clientOrderId)?.pricePu).toBe(toPu(95));
    expect(byOrder.get(stopLimit.clientOrderId)?.pricePu).toBe(toPu(104));
    // The stop trailed up to 110 − 2 on the first bar and fills at 108 on the gap below it.
    expect(byOrder.get(trail.clientOrderId)?.pricePu).toBe(toPu(108));
    // IB's fixed rate: at least 1.00 per execution.
    for (const f of r.fills) expect(f.commissionPu).toBe(toPu(1));
  });

  it('sends bracket exits as one OCA group: when one fills IB cancels the other (canceled, not expired, though DAY)', async () => {
    r = await ibRig();
    const exit = (req: Parameters<IbRig['oms']['create']>[0], role: 'take-profit' | 'stop-loss') => r?.oms.create(req, 'test', { ocoGroup: 'oco-1', role });
    const tp = exit({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'limit', limitPrice: 110, tif: 'DAY' }, 'take-profit');
    const sl = exit({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'stop', stopPrice: 90, tif: 'DAY' }, 'stop-loss');
    if (tp === undefined || sl === undefined) throw new Error('no rig');
    r.oms.submit(tp);
    r.oms.submit(sl);
    await r.conn.sync();
    await r.bar(0, [100, 111, 99, 105, 1_000_000]);
    expect([tp.status, sl.status]).toEqual(['filled', 'canceled']);
    expect(r.fills.map((f) => f.clientOrderId)).toEqual([tp.clientOrderId]);
  });

  it('rejects with the IB error code and text when IB refuses an order', async () => {
    r = await ibRig();
    r.fake.rejectNext(201, 'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [0 USD] MUST EXCEED THE INITIAL MARGIN');
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 1000, type: 'market' });
    expect(o.status).toBe('rejected');
    expect(o.rejectReason).toMatch(/^IB 201: Order rejected/);
  });

  it('sends OPG as tif OPG and CLS as the order types MOC/LOC: they trade in the opening or closing auction, or IB cancels them', async () => {
    r = await ibRig();
    const moo = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market', tif: 'OPG' });
    const loc = await r.send({ symbol: 'AAA', side: 'sell', quantity: 4, type: 'limit', limitPrice: 104.5, tif: 'CLS' });
    const moc = await r.send({ symbol: 'AAA', side: 'sell', quantity: 3, type: 'market', tif: 'CLS' });
    const missed = await r.send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 99, tif: 'OPG' });
    const wire = (o: { brokerOrderId: string | null }) => {
      const f = r?.fake.orders.get(Number(o.brokerOrderId));
      return [f?.orderType, f?.tif, f?.lmtPrice];
    };
    expect([moo, loc, moc, missed].map(wire)).toEqual([
      ['MKT', 'OPG', null],
      ['LOC', 'DAY', 104.5],
      ['MOC', 'DAY', null],
      ['LMT', 'OPG', 99],
    ]);
    expect([moo, loc, moc, missed].map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    // Opens at 100 (above the 99 limit), closes at 105.
    await r.bar(0, [100, 106, 99.5, 105, 1_000_000]);
    const byOrder = new Map(r.fills.map((f) => [f.clientOrderId, f.pricePu]));
    expect([byOrder.get(moo.clientOrderId), byOrder.get(loc.clientOrderId), byOrder.get(moc.clientOrderId)]).toEqual([toPu(100), toPu(105), toPu(105)]);
    expect([moo.status, loc.status, moc.status, missed.status]).toEqual(['filled', 'filled', 'filled', 'canceled']);
  });

  it('does not move an order into or out of an auction by a modify', async () => {
    r = await ibRig();
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50, tif: 'DAY' });
    const placed = r.fake.placed.length;
    expect(r.oms.modify(o.id, { tif: 'CLS' })).toBe(false);
    await r.conn.sync();
    expect([o.status, o.tif, r.fake.placed.length]).toEqual(['accepted', 'DAY', placed]);
  });

  it('waits for a delayed acknowledgement: submitted until IB answers, then accepted', async () => {
    r = await ibRig();
    r.fake.ackDelayMs = 300;
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    expect(o.status).toBe('submitted');
    await vi.waitFor(() => expect(o.status).toBe('accepted'), { timeout: 20_000, interval: 20 });
  });

  it('modifies through a new placeOrder under the same IB order id; a refused modify keeps the old terms', async () => {
    r = await ibRig();
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50 });
    expect(r.oms.modify(o.id, { limitPrice: 55 })).toBe(true);
    await r.conn.sync();
    expect([o.status, o.limitPrice]).toEqual(['accepted', 55]);
    r.fake.rejectNext(201, 'Order rejected - reason:The price is outside the price band');
    expect(r.oms.modify(o.id, { limitPrice: 90 })).toBe(true);
    await r.conn.sync();
    expect([o.status, o.limitPrice]).toEqual(['accepted', 55]);
    expect(r.fake.placed.map((p) => p.orderId)).toEqual([Number(o.brokerOrderId), Number(o.brokerOrderId), Number(o.brokerOrderId)]);
    expect(r.fake.orders.get(Number(o.brokerOrderId))?.lmtPrice).toBe(55);
  });

  it('reports a cancel that lost the race with a fill as refused; the fill stands', async () => {
    r = await ibRig();
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' });
    expect(r.oms.cancel(o.id)).toBe(true);
    // The bar trades at the gateway before the cancel request reaches it.
    r.fake.trade({ symbol: 'AAA', timeframe: '1d', ts: r.clock.now(), open: 100, high: 101, low: 99, close: 100, volume: 1_000_000 });
    await r.conn.sync();
    expect(o.status).toBe('filled');
    expect(r.fills.map((f) => f.quantity)).toEqual([10]);
  });

  it('reads positions and account values', async () => {
    r = await ibRig();
    await r.send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market' });
    await r.send({ symbol: 'BBB', side: 'sell', quantity: 4, type: 'market' });
    await r.bar(0, QUIET);
    await r.bar(0, QUIET, 'BBB');
    const positions = await r.venue.positions();
    expect(positions.map((p) => [p.symbol, p.position]).sort()).toEqual([['AAA', 10], ['BBB', -4]]);
    const values = new Map((await r.venue.accountValues()).map((v) => [v.key, v.value]));
    expect(values.get('NetLiquidation')).toBe('100000.00');
  });
});

describe('IB venue: what IB holds', () => {
  it('lists open orders of other client ids too, with IB ids where they carry no orderRef', async () => {
    r = await ibRig();
    const mine = await r.send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    // Another API client (client id 9, e.g. a person's script) places an order without an orderRef.
    const other = new IbConnection({ host: '127.0.0.1', port: r.fake.port, clientId: 9, reconnectInitialMs: 0 });
    await other.connect();
    other.send(placeOrder(other.takeOrderId(), { symbol: 'BBB', currency: 'USD', exchange: 'SMART' }, { action: 'SELL', totalQuantity: 3, orderType: 'LMT', lmtPrice: 500, auxPrice: null, trailingPercent: null, tif: 'GTC', ocaGroup: '', account: r.fake.account, orderRef: '' }));
    await other.sync();
    const working = await r.venue.workingOrders();
    other.close();
    expect(working.map((w) => [w.clientOrderId.replace(/^ib:\d+$/, 'ib:N'), w.symbol, w.side, w.leavesQuantity]).sort()).toEqual([
      [mine.clientOrderId, 'AAA', 'buy', 5],
      ['ib:N', 'BBB', 'sell', 3],
    ].sort());
  });
});

describe('IB venue: connection', () => {
  it('refuses a second connection with a client id already in use', async () => {
    r = await ibRig();
    const second = new IbConnection({ host: '127.0.0.1', port: r.fake.port, clientId: 3, reconnectInitialMs: 0, connectTimeoutMs: 20_000 });
    await expect(second.connect()).rejects.toThrow(/client id 3 is already in use/);
  });

  it('refuses an order while disconnected, reconnects with backoff, and applies fills made while away exactly once', async () => {
    r = await ibRig({ reconnectInitialMs: 50, reconnectMaxMs: 200 });
    const o = await r.send({ symbol: 'AAA', side: 'buy', quantity: 120, type: 'market' });
    await r.bar(0, [100, 101, 99, 100, 100]);
    expect(o.filledQuantity).toBe(50);
    const downs: string[] = [];
    r.conn.on('down', (why) => downs.push(why));
    await r.fake.stop();
    await vi.waitFor(() => expect(r?.conn.state).not.toBe('connected'), { timeout: 20_000, interval: 10 });
    const refused = r.oms.create({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'market' }, 'test');
    r.oms.submit(refused);
    expect(refused.status).toBe('rejected');
    // The market moves while we are away: the rest fills at the gateway.
    r.fake.trade({ symbol: 'AAA', timeframe: '1d', ts: r.clock.now(), open: 100, high: 101, low: 99, close: 100, volume: 100 });
    r.fake.trade({ symbol: 'AAA', timeframe: '1d', ts: r.clock.now(), open: 100, high: 101, low: 99, close: 100, volume: 100 });
    await r.fake.start(r.fake.port);
    await vi.waitFor(() => expect(o.status).toBe('filled'), { timeout: 30_000, interval: 20 });
    expect(downs).toEqual(['connection lost']);
    expect(o.filledQuantity).toBe(120);
    expect(r.fills.reduce((n, f) => n + f.quantity, 0)).toBe(120);
    expect(new Set(r.fills.map((f) => f.ts)).size).toBeGreaterThan(0);
    // The client ids of fills are ours, once per execution.
    expect(r.fills.length).toBe(r.fake.executions.length);
  });
});

// What the Alpaca venue does beyond the contract, against the fake Alpaca: refusals become coded rejections, a
// submit whose answer is lost is looked up by client id instead of sent twice, a dropped stream reconnects and
// catches up on fills made meanwhile exactly once, orders we never sent are reported, OCO exits go as one order.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageBus } from '../../../../../src/core/bus.js';
import { SimulatedClock } from '../../../../../src/core/clock.js';
import { OrderManager } from '../../../../../src/execution/oms.js';
import { refusalCodeOf } from '../../../../../src/execution/venues/brokerRefusals.js';
import type { AlpacaOrder } from '../../../../../src/execution/venues/alpaca/schema.js';
import type { KernelEvents } from '../../../../../src/model/events.js';
import type { Bar, Fill, Instrument, OrderRequest } from '../../../../../src/model/types.js';
import { alpacaRig, type AlpacaRig } from '../../../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../../helpers/fakeAlpacaTrading.js';

const INSTRUMENTS: readonly Instrument[] = ['AAA', 'BBB'].map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
const T0 = Date.UTC(2024, 0, 2, 15);

let fake: FakeAlpacaTrading;
let rig: AlpacaRig;
let oms: OrderManager;
let fills: Fill[];
let strangers: AlpacaOrder[];

beforeEach(async () => {
  fake = await startFakeAlpacaTrading();
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0);
  oms = new OrderManager(bus, clock, 'alp');
  strangers = [];
  rig = alpacaRig(
    fake,
    {
      reports: oms,
      instrument: (s) => INSTRUMENTS.find((i) => i.symbol === s) ?? (INSTRUMENTS[0] as Instrument),
      hasInstrument: (s) => INSTRUMENTS.some((i) => i.symbol === s),
      now: () => clock.now(),
    },
    { onStranger: (a) => void strangers.push(a) },
  );
  oms.connect(rig.venue);
  fills = [];
  bus.subscribe('orderFilled', (f) => void fills.push(f));
  await rig.stream.connect();
});
afterEach(async () => {
  rig.stream.close();
  await fake.close();
});

async function send(r: OrderRequest) {
  const o = oms.create(r, 'test');
  oms.submit(o);
  await rig.settle();
  return o;
}
const bar = (symbol: string, o: number, h: number, l: number, c: number, v = 1_000_000): Bar => ({ symbol, timeframe: '1m', ts: T0, open: o, high: h, low: l, close: c, volume: v });

describe('alpaca venue: refusals', () => {
  it.each([
    [403, 40310000, 'insufficient buying power', 'INSUFFICIENT_BUYING_POWER'],
    [403, 40310000, 'trade denied due to pattern day trading protection', 'PATTERN_DAY_TRADER'],
    [403, 40310000, 'potential wash trade detected. use complex orders', 'WASH_TRADE'],
    [422, 42210000, 'qty must be integer', 'INVALID_ORDER'],
    [403, 40310000, 'account is not allowed to short', 'FORBIDDEN'],
  ])('HTTP %i (code %i) "%s" rejects the order with a coded reason', async (status, code, message, expected) => {
    fake.refuseNext({ status, code, message });
    const o = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'market' });
    expect(o.status).toBe('rejected');
    expect(refusalCodeOf(o.rejectReason)).toBe(expected);
    expect(o.rejectReason).toContain(message);
  });

  it('retries a throttled (429) submit, then rejects as RATE_LIMITED when it stays throttled', async () => {
    const throttle = { status: 429, code: 42910000, message: 'rate limit exceeded' };
    fake.refuseNext(throttle);
    const ok = await send({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'market' });
    expect(ok.status).toBe('accepted');
    fake.refuseNext(throttle, throttle, throttle);
    const no = await send({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'market' });
    expect(refusalCodeOf(no.rejectReason)).toBe('RATE_LIMITED');
  });
});

describe('alpaca venue: crash and network safety', () => {
  it('looks up a submit whose answer was lost by client id and does not send it twice', async () => {
    fake.loseNextAnswer();
    const o = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 10 });
    expect(o.status).toBe('accepted');
    expect(fake.posted).toEqual([o.clientOrderId]);
    expect(o.brokerOrderId).toBe(fake.matcher.byClientId(o.clientOrderId)?.id);
  });

  it('adopts the broker order when a resend finds its client id taken (sent before a crash)', async () => {
    fake.matcher.place({ symbol: 'AAA', qty: '5', side: 'buy', type: 'limit', limit_price: '10', time_in_force: 'gtc', client_order_id: 'alp-1' });
    const o = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 10 });
    expect(o.clientOrderId).toBe('alp-1');
    expect(o.status).toBe('accepted');
    expect(fake.matcher.orders.filter((x) => x.clientOrderId === 'alp-1')).toHaveLength(1);
  });

  it('reconnects a dropped stream and applies fills made while it was down exactly once', async () => {
    const o = await send({ symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 10 });
    fake.refuseStreams(true);
    fake.dropStreams();
    fake.trade(bar('AAA', 10, 10, 9, 10, 60)); // 30 fill
    fake.trade(bar('AAA', 9.5, 10, 9, 10, 40)); // 20 more
    expect(fills).toEqual([]);
    fake.refuseStreams(false);
    await expect.poll(() => fake.streamConnections(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => o.filledQuantity, { timeout: 10_000 }).toBe(50);
    await rig.venue.catchUp(T0 - 60_000); // a second catch-up finds nothing new
    await rig.settle();
    expect(fills.map((f) => [f.quantity, f.price])).toEqual([
      [30, 10],
      [20, 9.5],
    ]);
    expect(o.status).toBe('partially_filled');
  });

  it('reports a broker order nobody here sent', async () => {
    fake.matcher.place({ symbol: 'BBB', qty: '3', side: 'sell', type: 'limit', limit_price: '99', time_in_force: 'gtc', client_order_id: 'web-app-7' });
    await rig.settle();
    expect(strangers.map((a) => a.client_order_id)).toEqual(['web-app-7']);
  });
});

describe('alpaca venue: order types on the wire', () => {
  it('sends the exit pair of a DAY-entry bracket as one oco order once the entry fills; a take-profit fill cancels the stop', async () => {
    // As the order gateway builds a bracket: exits held by the OMS until the entry fills, then sent together (a GTC
    // entry goes out as Alpaca's bracket class instead: alpacaBracketClass.test.ts).
    const entry = oms.create({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market', tif: 'DAY' }, 'test', { role: 'entry' });
    const links = { parentId: entry.id, ocoGroup: `bracket-${entry.id}` };
    const exits = [
      oms.create({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'limit', limitPrice: 12 }, 'test', { ...links, role: 'take-profit' }),
      oms.create({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'stop', stopPrice: 8 }, 'test', { ...links, role: 'stop-loss' }),
    ];
    oms.holdUntilFilled(entry, exits);
    oms.submit(entry);
    await rig.settle();
    fake.trade(bar('AAA', 10, 10, 10, 10));
    await rig.settle();
    expect(entry.status).toBe('filled');
    const oco = fake.matcher.orders.filter((x) => x.orderClass === 'oco');
    expect(oco.map((x) => x.type).sort()).toEqual(['limit', 'stop']);
    fake.trade(bar('AAA', 12.5, 13, 12, 12.5));
    await rig.settle();
    expect(exits.map((x) => x.status).sort()).toEqual(['canceled', 'filled']);
  });

  it('sends OPG and CLS as opg and cls: they trade in the opening and closing auction, or are canceled', async () => {
    const moo = await send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'market', tif: 'OPG' });
    const loc = await send({ symbol: 'AAA', side: 'sell', quantity: 4, type: 'limit', limitPrice: 10.5, tif: 'CLS' });
    const missed = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 9, tif: 'OPG' });
    expect(fake.matcher.orders.map((x) => [x.clientOrderId, x.type, x.tif])).toEqual([
      [moo.clientOrderId, 'market', 'opg'],
      [loc.clientOrderId, 'limit', 'cls'],
      [missed.clientOrderId, 'limit', 'opg'],
    ]);
    // The bar opens at 10 and closes at 11: the open auction buys at 10, the close auction sells at 11.
    fake.trade(bar('AAA', 10, 11.5, 9.5, 11));
    await rig.settle();
    expect(fills.map((f) => [f.clientOrderId, f.quantity, f.price])).toEqual([
      [moo.clientOrderId, 10, 10],
      [loc.clientOrderId, 4, 11],
    ]);
    expect(missed.status).toBe('canceled');
  });

  it('sends trailing stops with trail_percent or trail_price', async () => {
    await send({ symbol: 'AAA', side: 'sell', quantity: 1, type: 'trailing-stop', trailPercent: 2.5 });
    await send({ symbol: 'AAA', side: 'sell', quantity: 1, type: 'trailing-stop', trailAmount: 1.25 });
    expect(fake.matcher.orders.map((x) => [x.type, x.trailPercent, x.trailPrice])).toEqual([
      ['trailing_stop', 2.5, null],
      ['trailing_stop', null, 1.25],
    ]);
  });

  it('replaces a partly filled order for what is left (Alpaca replaces with a new order)', async () => {
    const o = await send({ symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 10 });
    fake.trade(bar('AAA', 10, 10, 9, 10, 60));
    await rig.settle();
    expect(oms.modify(o.id, { limitPrice: 11 })).toBe(true);
    await rig.settle();
    const last = fake.matcher.orders[fake.matcher.orders.length - 1];
    expect([last?.qty, last?.limit, last?.clientOrderId]).toEqual([70, 11, `${o.clientOrderId}~r1`]);
    fake.trade(bar('AAA', 11, 11, 10, 11));
    await rig.settle();
    expect([o.status, o.filledQuantity]).toEqual(['filled', 100]);
    expect(await rig.venue.lookup(o.clientOrderId)).toBeNull();
  });
});

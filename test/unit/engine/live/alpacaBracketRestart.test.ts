// A bracket with a DAY entry at Alpaca across restarts (Alpaca's bracket class would give its legs the entry's DAY,
// so its exits go out once it fills): they go out as one `oco` order whose stop leg carries Alpaca's
// own client id, not ours. A session reopened from its journal finds that leg through its parent (nested=true):
// it is neither sent again nor taken for an order nobody here sent (and canceled), and a stop that fills while
// the session is down is applied once, the take-profit closed, positions equal to the broker's.

import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import type { BarSeries } from '../../../../src/model/barSeries.js';
import { openAtAlpaca, restartAtAlpaca, stepAtAlpaca, type AtAlpaca } from '../../../helpers/alpacaSession.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { demoSeries } from '../../../helpers/tradingSession.js';

const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

type Running = AtAlpaca;
const step = stepAtAlpaca;
const open = (fake: FakeAlpacaTrading, store: MemorySessionStore, series: BarSeries[]): Promise<Running> => openAtAlpaca(fake, store, series, 'bracket');
const restart = (fake: FakeAlpacaTrading, r: Running, store: MemorySessionStore, series: BarSeries[], whileDown: () => void): Promise<Running> => restartAtAlpaca(fake, r, store, series, 'bracket', whileDown);

const exitsOf = (r: Running) => r.session.kernel.oms.all().filter((o) => o.role === 'take-profit' || o.role === 'stop-loss');

describe('Alpaca bracket exits across restarts', () => {
  it('finds the stop leg through its oco parent: not resent, not canceled as a stranger; a stop filled while down is applied once', async () => {
    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    const series = demoSeries(20);
    const store = new MemorySessionStore();
    let r = await open(fake, store, series);
    await step(fake, r, series, 0);
    await r.session.act({ kind: 'submitBracket', request: { entry: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'market', tif: 'DAY' }, takeProfit: { limitPrice: 1000 }, stopLoss: { stopPrice: 1 } }, by: 'test' });
    await r.broker.flush();
    await step(fake, r, series, 1);
    const oco = fake.matcher.orders.find((o) => o.orderClass === 'oco' && o.legs.length === 1);
    const leg = oco?.legs[0];
    if (oco === undefined || leg === undefined) throw new Error('the exits did not reach Alpaca as one oco order');
    const [tp, sl] = exitsOf(r).sort((a, b) => a.id - b.id);
    expect([tp?.role, sl?.role]).toEqual(['take-profit', 'stop-loss']);
    expect(oco.clientOrderId).toBe(tp?.clientOrderId);
    expect(leg.clientOrderId).not.toBe(sl?.clientOrderId);
    const postedBefore = [...fake.posted];

    // Down and back with nothing happening: the leg is ours, still working.
    r = await restart(fake, r, store, series, () => undefined);
    expect(leg.status).toBe('new');
    expect(exitsOf(r).map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(r.session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', corrections: [], halt: null });

    // Down again; meanwhile the market hits the stop (Alpaca cancels the take-profit).
    r = await restart(fake, r, store, series, () => fake.matcher.fill(leg, 10, 45.5));
    expect(oco.status).toBe('canceled');
    const exits = exitsOf(r);
    expect(exits.map((o) => [o.role, o.status, o.filledQuantity])).toEqual([
      ['take-profit', 'canceled', 0],
      ['stop-loss', 'filled', 10],
    ]);
    expect(r.session.kernel.portfolio.quantity('AAA')).toBe(0);
    expect(fake.matcher.positions()).toEqual([]);
    expect(fake.posted).toEqual(postedBefore);
    expect(r.session.status().broker?.reconciliation?.halt).toBeNull();
    await r.session.stop();
  });
});

// The order ticket's checks and the tables' sorting, paging and CSV export.

import { describe, expect, it } from 'vitest';
import { buildOrder, fieldsFor, isWorking, type TicketInput } from '../../../web/src/orderTicket.js';
import { nextSort, pageInfo, toCsv } from '../../../web/src/table.js';

const base: TicketInput = { symbol: 'aapl', side: 'buy', quantity: '10', type: 'market', limitPrice: '', stopPrice: '', trail: '', tif: 'DAY', takeProfit: '', stopLoss: '' };

describe('order ticket', () => {
  it('builds a market order, upper-casing the symbol and ignoring price fields it does not need', () => {
    expect(buildOrder({ ...base, limitPrice: 'junk' })).toEqual({ body: { symbol: 'AAPL', side: 'buy', quantity: 10, type: 'market', tif: 'DAY' }, errors: {} });
  });

  it('asks for the prices each type needs', () => {
    expect(fieldsFor('stop-limit')).toEqual({ limit: true, stop: true, trail: false });
    const r = buildOrder({ ...base, type: 'stop-limit', quantity: '0', symbol: ' ' });
    expect(r.body).toBeNull();
    expect(Object.keys(r.errors).sort()).toEqual(['limitPrice', 'quantity', 'stopPrice', 'symbol']);
    expect(buildOrder({ ...base, type: 'limit', limitPrice: '-1' }).errors.limitPrice).toMatch(/above zero/);
    expect(buildOrder({ ...base, quantity: '1e3' }).errors.quantity).toBeDefined();
  });

  it('refuses a stop-limit that could never fill once triggered', () => {
    expect(buildOrder({ ...base, type: 'stop-limit', stopPrice: '100', limitPrice: '99' }).errors.limitPrice).toMatch(/at or above/);
    expect(buildOrder({ ...base, side: 'sell', type: 'stop-limit', stopPrice: '100', limitPrice: '101' }).errors.limitPrice).toMatch(/at or below/);
    expect(buildOrder({ ...base, type: 'stop-limit', stopPrice: '100', limitPrice: '100.5' }).body).toMatchObject({ stopPrice: 100, limitPrice: 100.5 });
  });

  it('sends OPG and CLS with market and limit orders and refuses them with other types, naming the field', () => {
    expect(buildOrder({ ...base, tif: 'OPG' }).body).toEqual({ symbol: 'AAPL', side: 'buy', quantity: 10, type: 'market', tif: 'OPG' });
    expect(buildOrder({ ...base, tif: 'CLS', type: 'limit', limitPrice: '99.5' }).body).toMatchObject({ tif: 'CLS', type: 'limit', limitPrice: 99.5 });
    const stop = buildOrder({ ...base, tif: 'CLS', type: 'stop', stopPrice: '90' });
    expect(stop.body).toBeNull();
    expect(stop.errors).toEqual({ tif: 'CLS (an auction order) takes a market or limit order only.' });
    expect(buildOrder({ ...base, tif: 'OPG', type: 'trailing-stop', trail: '2%' }).errors.tif).toMatch(/^OPG/);
  });

  it('reads a trail as an amount or a percent', () => {
    expect(buildOrder({ ...base, type: 'trailing-stop', side: 'sell', trail: '2%' }).body).toMatchObject({ trailPercent: 2 });
    expect(buildOrder({ ...base, type: 'trailing-stop', side: 'sell', trail: '1.5' }).body).toMatchObject({ trailAmount: 1.5 });
    expect(buildOrder({ ...base, type: 'trailing-stop', trail: '%' }).errors.trail).toBeDefined();
  });

  it('builds a bracket from a take-profit and/or stop-loss, each on its side of the entry', () => {
    expect(buildOrder({ ...base, takeProfit: '120', stopLoss: '90' }).body).toMatchObject({ type: 'market', bracket: { takeProfit: { limitPrice: 120 }, stopLoss: { stopPrice: 90 } } });
    expect(buildOrder({ ...base, stopLoss: '90' }).body?.bracket).toEqual({ stopLoss: { stopPrice: 90 } });
    expect(buildOrder(base).body?.bracket).toBeUndefined();
    expect(buildOrder({ ...base, takeProfit: '90', stopLoss: '120' }).errors.takeProfit).toMatch(/above its stop-loss/);
    expect(buildOrder({ ...base, side: 'sell', takeProfit: '120', stopLoss: '90' }).errors.takeProfit).toMatch(/below its stop-loss/);
    expect(buildOrder({ ...base, type: 'limit', limitPrice: '100', stopLoss: '101' }).errors.stopLoss).toMatch(/below its limit price/);
    expect(buildOrder({ ...base, takeProfit: 'x' }).errors.takeProfit).toMatch(/above zero/);
    // Stop and trailing entries take no bracket: the fields are ignored (and not shown).
    expect(buildOrder({ ...base, type: 'stop', stopPrice: '100', takeProfit: '120' }).body?.bracket).toBeUndefined();
  });

  it('knows which statuses can still be changed', () => {
    expect(isWorking('accepted')).toBe(true);
    expect(isWorking('partially_filled')).toBe(true);
    expect(isWorking('filled')).toBe(false);
    expect(isWorking('rejected')).toBe(false);
  });
});

describe('tables', () => {
  it('cycles sorting per column and describes a page', () => {
    expect(nextSort(null, 'n')).toEqual({ key: 'n', dir: 'asc' });
    expect(nextSort({ key: 'n', dir: 'asc' }, 'n')).toEqual({ key: 'n', dir: 'desc' });
    expect(nextSort({ key: 'n', dir: 'desc' }, 's')).toEqual({ key: 's', dir: 'asc' });
    expect(pageInfo(25, 25, 25, 60)).toEqual({ from: 26, to: 50, total: 60, hasPrev: true, hasNext: true });
    expect(pageInfo(0, 25, 0, 0)).toEqual({ from: 0, to: 0, total: 0, hasPrev: false, hasNext: false });
  });

  it('writes RFC 4180 CSV and defuses spreadsheet formulas', () => {
    const csv = toCsv(
      [
        { a: 'x,y', b: -1.5 },
        { a: 'say "hi"', b: null },
        { a: '=cmd()', b: 0 },
      ],
      [
        ['a', (r) => r.a],
        ['b', (r) => r.b],
      ],
    );
    expect(csv).toBe('a,b\r\n"x,y",-1.5\r\n"say ""hi""",\r\n\'=cmd(),0\r\n');
  });
});

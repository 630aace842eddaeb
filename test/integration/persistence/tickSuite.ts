// The tick store's contract, run inside the storage suite on every engine: exact round trips (µs times,
// trades in one µs, absent fields), idempotent imports, and ticks → bars in SQL equal to aggregateTicks.

import { expect, it } from 'vitest';
import type { Database } from '../../../src/persistence/database.js';
import { TickStore } from '../../../src/persistence/tickStore.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { aggregateTicks } from '../../../src/data/tickBars.js';
import { allocateTicks, type TickSeries } from '../../../src/model/tickSeries.js';
import { columns } from './storeSuite.js';

/** Seeded ticks: a random walk at irregular µs steps, some trades sharing a µs, fractional sizes. */
export function syntheticTicks(symbol: string, n: number, seed: number, startUs = Date.UTC(2024, 0, 5, 23, 58) * 1000): TickSeries {
  let x = seed;
  const rnd = (): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const t = allocateTicks(symbol, n, 4);
  let ts = startUs;
  let price = 100;
  for (let i = 0; i < n; i++) {
    if (i > 0 && rnd() > 0.15) ts += 1 + Math.floor(rnd() * 40_000_000);
    price = Math.round((price + (rnd() - 0.5) * 0.2) * 10_000) / 10_000;
    t.tsUs[i] = ts;
    t.price[i] = price;
    t.size[i] = Math.round(rnd() * 1000) / 10;
    if (i % 3 !== 0) {
      t.bid[i] = price - 0.01;
      t.ask[i] = price + 0.01;
    }
    t.exchange[i] = i % 4 === 0 ? null : ['XNAS', 'ARCX', 'BATS'][i % 3] ?? null;
    t.conditions[i] = i % 5 === 0 ? '@ T' : null;
  }
  return t;
}

function tickColumns(t: TickSeries): Record<string, unknown[]> {
  return { tsUs: [...t.tsUs], price: [...t.price], size: [...t.size], bid: [...t.bid], ask: [...t.ask], exchange: [...t.exchange], conditions: [...t.conditions] };
}

function slice(t: TickSeries, from: number, to: number): TickSeries {
  return {
    ...t,
    length: to - from,
    tsUs: t.tsUs.slice(from, to),
    price: t.price.slice(from, to),
    size: t.size.slice(from, to),
    bid: t.bid.slice(from, to),
    ask: t.ask.slice(from, to),
    exchange: t.exchange.slice(from, to),
    conditions: t.conditions.slice(from, to),
  };
}

export function tickTests(getDb: () => Database): void {
  const store = (): TickStore => new TickStore(getDb());

  it('round-trips ticks exactly (µs times, trades in one µs, absent fields) and reads inclusive µs ranges in order', async () => {
    const t = syntheticTicks('TKA', 5000, 1);
    t.tsUs[1] = (t.tsUs[0] as number) + 1; // one microsecond apart
    expect(await store().ingest([t])).toEqual({ rows: 5000, written: 5000 });
    const back = await store().read({ symbol: 'TKA' });
    expect(back.priceDecimals).toBe(4);
    expect(tickColumns(back)).toEqual(tickColumns(t));
    const part = await store().read({ symbol: 'TKA', fromUs: t.tsUs[100], toUs: t.tsUs[200] });
    const first = t.tsUs.indexOf(t.tsUs[100] as number);
    const last = t.tsUs.lastIndexOf(t.tsUs[200] as number);
    expect(tickColumns(part)).toEqual(tickColumns(slice(t, first, last + 1)));
    expect(await store().list()).toContainEqual({ symbol: 'TKA', firstUs: t.tsUs[0], lastUs: t.tsUs[4999], count: 5000 });
  });

  it('imports idempotently: a re-import writes nothing, an overlapping one only what is new or changed', async () => {
    const t = syntheticTicks('TKB', 3000, 2);
    await store().ingest([slice(t, 0, 2000)]);
    expect(await store().ingest([t])).toEqual({ rows: 3000, written: 1000 });
    expect(await store().ingest([t])).toEqual({ rows: 3000, written: 0 });
    const changed = slice(t, 500, 1500);
    (changed.price as Float64Array)[10] = 1;
    expect(await store().ingest([changed])).toEqual({ rows: 1000, written: 1 });
    const reversed = slice(t, 0, 3000);
    for (const col of [reversed.tsUs, reversed.price, reversed.size, reversed.bid, reversed.ask] as Float64Array[]) col.reverse();
    (reversed.exchange as (string | null)[]).reverse();
    (reversed.conditions as (string | null)[]).reverse();
    // Out of time order: all through the upsert; trades sharing a µs get their seq in input order, so only
    // those pairs (now swapped) and the changed price count as written.
    const r = await store().ingest([reversed]);
    expect(r.rows).toBe(3000);
    expect((await store().list()).find((s) => s.symbol === 'TKB')?.count).toBe(3000);
  });

  it('a bad tick fails the whole import and writes nothing', async () => {
    const before = await store().list();
    const good = syntheticTicks('TKC', 100, 3);
    const bad = syntheticTicks('TKD', 100, 4);
    bad.size[50] = -1;
    await expect(store().ingest([good, bad])).rejects.toMatchObject({ code: 'PI5_ERR_BAD_BAR', message: expect.stringMatching(/TKD tick 50: size -1/) });
    expect(await store().list()).toEqual(before);
  });

  it('ticks → bars in SQL equal the in-memory aggregation exactly, boundaries included', async () => {
    const t = syntheticTicks('TKE', 20_000, 5);
    // A trade exactly on a minute boundary and one a microsecond before the next.
    t.tsUs[10] = Math.ceil((t.tsUs[9] as number) / 60_000_000) * 60_000_000;
    t.tsUs[11] = (t.tsUs[10] as number) + 59_999_999;
    for (let i = 12; i < 20; i++) t.tsUs[i] = Math.max(t.tsUs[i] as number, t.tsUs[11] as number);
    await store().ingest([t]);
    for (const tf of ['1s', '1m', '5m', '1h', '1d', '1w', '1M']) {
      expect(columns(await store().bars({ symbol: 'TKE' }, tf)), tf).toEqual(columns(aggregateTicks(t, tf)));
    }
    const from = t.tsUs[5000] as number;
    const to = t.tsUs[9000] as number;
    const lo = t.tsUs.indexOf(from);
    const hi = t.tsUs.lastIndexOf(to);
    expect(columns(await store().bars({ symbol: 'TKE', fromUs: from, toUs: to }, '1m'))).toEqual(columns(aggregateTicks(slice(t, lo, hi + 1), '1m')));
  });

  it('stores the bars built from ticks, and building them again writes nothing', async () => {
    const t = syntheticTicks('TKF', 4000, 6);
    await store().ingest([t]);
    const expected = aggregateTicks(t, '1m');
    expect(await store().storeBars({ symbol: 'TKF' }, '1m')).toEqual({ bars: expected.length, written: expected.length });
    expect(await store().storeBars({ symbol: 'TKF' }, '1m')).toEqual({ bars: expected.length, written: 0 });
    const [bars] = await new BarStore(getDb()).read({ symbols: ['TKF'], timeframe: '1m' });
    expect(columns(bars!)).toEqual(columns(expected));
    expect(bars?.priceDecimals).toBe(4);
  });
}

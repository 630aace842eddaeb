// The demo's feed never runs out (its seeded walk rolls on chunk after chunk, the same bars however it is
// cut), a session over it keeps trading past the first chunk, and a session whose replay is over refuses new
// orders instead of leaving them accepted forever.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { createLogger } from '../../../../src/core/log.js';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import { EndlessSyntheticFeed } from '../../../../src/engine/live/endlessSyntheticFeed.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import type { Bar } from '../../../../src/model/types.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { TF, config, demoSeries, openSession } from '../../../helpers/tradingSession.js';

const SYMBOLS = [
  { symbol: 'AAA', seed: 11, startPrice: 50 },
  { symbol: 'BBB', seed: 12, startPrice: 80 },
];
const START = Date.UTC(2015, 0, 1);

describe('endless synthetic feed', () => {
  it('delivers, chunk after chunk, exactly the bars of one long seeded walk', () => {
    const feed = new EndlessSyntheticFeed({ symbols: SYMBOLS, chunkBars: 100, start: START, timeframe: '1d' });
    const got: Bar[] = [];
    for (let k = 0; k < 350; k++) expect(feed.deliverStep((b) => got.push(b))).toBe(k);
    expect(feed.done).toBe(false);
    expect(feed.length).toBe(400);
    const whole = SYMBOLS.map((s) => generateSyntheticBars({ ...s, bars: 350, start: START }));
    for (let k = 0; k < 350; k++) {
      whole.forEach((s, j) => {
        const bar = got[k * 2 + j];
        expect(bar).toMatchObject({ symbol: s.symbol, ts: s.ts[k], open: s.open[k], close: s.close[k], volume: s.volume[k] });
      });
    }
    expect(feed.histories[1]?.length).toBe(350);
    expect(feed.histories[1]?.close(0)).toBe(whole[1]?.close[349]);
  });
});

describe('a demo session on the endless feed', () => {
  it('is still trading long after its first chunk of bars', async () => {
    const feed = new EndlessSyntheticFeed({ symbols: SYMBOLS, chunkBars: 100, start: START, timeframe: '1d' });
    const session = await TradingSession.open({
      config: config('endless'),
      feed,
      instruments: SYMBOLS.map((s) => ({ symbol: s.symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
      baseTimeframe: TF,
      store: new MemorySessionStore(),
      resolveStrategy: (ref) => findBuiltin(ref),
      log: createLogger('error'),
      stepIntervalMs: 0,
    });
    expect(await session.advance(100)).toBe(100);
    const filledAtChunkEnd = session.kernel.oms.all().filter((o) => o.status === 'filled').length;
    expect(await session.advance(500)).toBe(500);
    expect(session.status().state).not.toBe('finished');
    expect(session.status().step).toBe(600);
    expect(session.kernel.oms.all().filter((o) => o.status === 'filled').length).toBeGreaterThan(filledAtChunkEnd);
    // A manual order after the first chunk fills on the next bar.
    const out = await session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 3 }, by: 'test' });
    const id = out.kind === 'order' ? out.order.id : -1;
    await session.advance(1);
    expect(session.kernel.oms.get(id)?.status).toBe('filled');
  });
});

describe('a session whose replay is over', () => {
  it('refuses new orders with a clear error instead of accepting them forever', async () => {
    const session = await openSession(new MemorySessionStore(), 'short', demoSeries(120));
    await session.advance(10_000);
    expect(session.status().state).toBe('finished');
    const e = await session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 1 }, by: 'test' }).catch((x: unknown) => x);
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_CONFLICT');
    expect((e as Error).message).toMatch(/replayed all its bars: no order can fill/);
    // Cancelling what is left still works.
    await expect(session.act({ kind: 'cancelAll', by: 'test' })).resolves.toBeDefined();
  });
});

// A short paper session's log holds its trading: every order placed and every fill, one line each, readable
// by default and JSON when asked; steps re-run while a stored session is recovered are not logged again.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../../../src/engine/live/replayFeed.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { TF, config, demoSeries } from '../../../helpers/tradingSession.js';

async function session(store: MemorySessionStore, lines: string[], json: boolean): Promise<TradingSession> {
  const series = demoSeries(200);
  return TradingSession.open({
    config: config('logged'),
    feed: new ReplayFeed(series),
    instruments: series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
    baseTimeframe: TF,
    store,
    resolveStrategy: (ref) => findBuiltin(ref),
    log: createLogger('info', (l) => lines.push(l), {}, json),
    stepIntervalMs: 0,
  });
}

describe('paper session log', () => {
  it('has a line for every order placed and every fill', async () => {
    const lines: string[] = [];
    const s = await session(new MemorySessionStore(), lines, false);
    await s.advance(150);
    await s.act({ kind: 'submitOrder', request: { symbol: 'BBB', side: 'buy', quantity: 4 }, by: 'test' });
    await s.advance(1);
    const orders = s.kernel.oms.all();
    const fills = orders.filter((o) => o.filledQuantity > 0).length;
    expect(fills).toBeGreaterThan(3);
    const placed = lines.filter((l) => l.startsWith('[info] order accepted:'));
    const filled = lines.filter((l) => l.startsWith('[info] fill:'));
    expect(placed).toHaveLength(orders.length);
    expect(filled).toHaveLength(fills);
    expect(placed.at(-1)).toMatch(/^\[info\] order accepted: buy 4 BBB market \(manual\)/);
    expect(placed[0]).toMatch(/\(sma\)/);
    expect(filled.at(-1)).toMatch(/^\[info\] fill: buy 4 BBB @ \d/);
  });

  it('writes JSON lines when asked, and stays quiet while recovering', async () => {
    const store = new MemorySessionStore();
    const first: string[] = [];
    await (await session(store, first, true)).advance(150);
    const events = first.map((l) => JSON.parse(l) as { level: string; event?: string });
    expect(events.some((e) => e.event === 'fill' && e.level === 'info')).toBe(true);
    const second: string[] = [];
    const reopened = await session(store, second, true);
    expect(reopened.status().recoveredSteps).toBe(150);
    expect(second.filter((l) => l.includes('"event"'))).toEqual([]);
  });
});

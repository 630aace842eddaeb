// The algorithm scheduler listens on the bus only while a parent works (no per-bar cost otherwise), and the
// schedule helpers spread quantities exactly.

import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../../src/core/bus.js';
import { AlgoScheduler } from '../../../src/execution/algos/scheduler.js';
import { cumulativeTargets, ScheduleCursor } from '../../../src/execution/algos/schedule.js';
import { volumeProfile, vwapSchedule } from '../../../src/execution/algos/vwap.js';
import type { KernelEvents } from '../../../src/model/events.js';
import type { Order, OrderRequest } from '../../../src/model/types.js';
import { T0, bar } from '../engine/fixtures.js';

describe('AlgoScheduler', () => {
  it('subscribes to bars with the first parent and unsubscribes when the last one ends', () => {
    const bus = new MessageBus<KernelEvents>();
    let nextId = 1;
    const placed: OrderRequest[] = [];
    const scheduler = new AlgoScheduler(bus, {
      place: (req) => {
        placed.push(req);
        return { id: nextId++, status: 'accepted', quantity: req.quantity, filledQuantity: 0 } as Order;
      },
      cancel: () => true,
      now: () => T0,
      history: () => ({ length: 0, time: () => NaN, volume: () => NaN }),
      timeZone: () => 'UTC',
    });
    expect(bus.hasSubscribers('bar')).toBe(false);
    const h = scheduler.submit({ symbol: 'AAA', side: 'buy', quantity: 10, algo: 'twap', slices: 2 }, 's');
    expect(bus.hasSubscribers('bar')).toBe(true);
    expect(placed.map((r) => [r.quantity, r.type, r.tag])).toEqual([[5, 'market', 'algo-1']]);
    expect(h.cancel()).toBe(true);
    expect(bus.hasSubscribers('bar')).toBe(false);
    bus.publish('bar', bar(T0 + 1, [1, 1, 1, 1]));
    expect(placed).toHaveLength(1);
  });
});

describe('schedules', () => {
  it('cumulative rounding sums to the total', () => {
    expect(cumulativeTargets(1000, [1, 1, 1])).toEqual([333, 667, 1000]);
    expect(cumulativeTargets(10, [1, 2, 3, 4])).toEqual([1, 3, 6, 10]);
  });

  it('entries passed together are sent as one slice', () => {
    const c = new ScheduleCursor([
      { atMs: 1, cumulative: 10 },
      { atMs: 2, cumulative: 30 },
      { atMs: 3, cumulative: 60 },
    ]);
    expect([c.dueBy(0), c.dueBy(2), c.done, c.dueBy(9), c.done]).toEqual([0, 30, false, 30, true]);
  });

  it('the volume profile averages each exchange-local time of day over the days before the start', () => {
    // New York, winter (UTC−5): bars at 14:30 and 14:35 UTC are 09:30 and 09:35 local.
    const day = 86_400_000;
    const t0 = Date.UTC(2024, 0, 2, 14, 30);
    const bars = [
      [t0, 100],
      [t0 + 300_000, 300],
      [t0 + day, 300],
      [t0 + day + 300_000, 100],
      [t0 + 2 * day, 999], // the start day itself is not history
    ] as const;
    const h = { length: bars.length, time: (ago = 0) => bars[bars.length - 1 - ago]?.[0] ?? NaN, volume: (ago = 0) => bars[bars.length - 1 - ago]?.[1] ?? NaN };
    const profile = volumeProfile(h, 'America/New_York', t0 + 2 * day, 20);
    expect(profile).toEqual([
      { timeOfDayMs: (9 * 60 + 30) * 60_000, avgVolume: 200 },
      { timeOfDayMs: (9 * 60 + 35) * 60_000, avgVolume: 200 },
    ]);
    expect(vwapSchedule(profile, 'America/New_York', t0 + 2 * day, t0 + 2 * day + 600_000, 7)).toEqual([
      { atMs: t0 + 2 * day, cumulative: 4 },
      { atMs: t0 + 2 * day + 300_000, cumulative: 7 },
    ]);
  });
});

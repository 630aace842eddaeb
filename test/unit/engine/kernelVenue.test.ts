// The kernel takes a venue: given one, its orders go there and nothing else fills them (no simulated exchange
// is built); given none, it needs the simulated exchange's config.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/log.js';
import { Kernel, type KernelOptions } from '../../../src/engine/kernel.js';
import { ReplayFeed } from '../../../src/engine/live/replayFeed.js';
import type { Venue, VenueDeps, VenueOrderState } from '../../../src/execution/venues/venue.js';
import type { Bar, Order } from '../../../src/model/types.js';
import { parseTimeframe } from '../../../src/model/timeframe.js';
import { DEFAULT_LIMITS } from '../../../src/risk/preTrade.js';
import { parseSizeSpec } from '../../../src/risk/sizing.js';
import { day, instrument, series } from './fixtures.js';

/** A venue that acknowledges every order and fills none: what a broker looks like between its fills. */
class AckOnlyVenue implements Venue {
  readonly name = 'ack-only';
  readonly orders: Order[] = [];
  readonly bars: Bar[] = [];
  constructor(private readonly d: VenueDeps) {}
  submit(order: Order): void {
    this.orders.push(order);
    this.d.reports.accepted(order, this.d.now());
  }
  cancel(order: Order): boolean {
    this.d.reports.canceled(order, this.d.now(), 'canceled by request');
    return true;
  }
  cancelAll(): number {
    return 0;
  }
  workingOrders(): Promise<readonly VenueOrderState[]> {
    return Promise.resolve([]);
  }
  lookup(): Promise<VenueOrderState | null> {
    return Promise.resolve(null);
  }
  onBar(bar: Bar): void {
    this.bars.push(bar);
  }
  onQuote(): void {}
}

function options(extra: Partial<KernelOptions>): KernelOptions {
  const tf = parseTimeframe('1d');
  if (!tf) throw new Error('1d');
  return { clock: new SimulatedClock(day(0)), baseTimeframe: tf, cash: 100_000, sizer: parseSizeSpec('10'), limits: DEFAULT_LIMITS, log: createLogger('silent'), ...extra };
}

describe('Kernel venue', () => {
  it('sends orders to the venue it is given, which alone decides their fate', () => {
    let venue: AckOnlyVenue | null = null;
    const kernel = new Kernel(options({ venue: (d) => (venue = new AckOnlyVenue(d)) }));
    const feed = new ReplayFeed([series([[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100]])]);
    const history = feed.histories[0];
    if (history === undefined) throw new Error('no history');
    kernel.addInstrument(instrument(), history);
    let sent = false;
    kernel.addStrategy('s', { onBar: (_b, ctx) => void (sent || ((sent = true), ctx.buy('AAA'))) }, ['AAA']);
    kernel.start();
    for (let k = 0; kernel.runStep(feed, k); k++);
    expect(kernel.venue).toBe(venue);
    const v = venue as AckOnlyVenue | null;
    expect(v?.bars).toHaveLength(3);
    expect(v?.orders.map((o) => [o.symbol, o.side, o.quantity, o.status])).toEqual([['AAA', 'buy', 10, 'accepted']]);
    // A simulated exchange would have filled the market order at the next open.
    expect(kernel.portfolio.quantity('AAA')).toBe(0);
  });

  it('without a venue or a simulated exchange config it refuses to start (PI5_ERR_BAD_USAGE)', () => {
    let code = '';
    try {
      new Kernel(options({}));
    } catch (e) {
      if (isPi5Error(e)) code = e.code;
    }
    expect(code).toBe('PI5_ERR_BAD_USAGE');
  });
});

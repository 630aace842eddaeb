// The notifier's delivery rules with an injected clock and sleep: doubling waits between retries, pacing to a
// channel's rate, a bounded queue that drops and counts, per-channel event filters, and notify() returning
// before any delivery code runs, however stuck a receiver is.

import { describe, expect, it } from 'vitest';
import { DeliveryError, type Channel } from '../../../src/notify/channels.js';
import { Notifier } from '../../../src/notify/notifier.js';
import type { Notification, NotifyKind } from '../../../src/notify/types.js';

const event = (kind: NotifyKind = 'fill', i = 0): Notification => ({ kind, ts: i, title: `t${i}`, text: 'x' });

/** A clock that only moves when the notifier sleeps; records each wait. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

function channel(send: (n: Notification) => Promise<void>, over: Partial<Channel> = {}): Channel {
  return { name: 'c', type: 'webhook', events: null, ratePerMin: 600, send, ...over };
}

describe('Notifier', () => {
  it('retries with doubling waits, then counts a failure', async () => {
    const t = fakeTime();
    let calls = 0;
    const n = new Notifier([channel(async () => { calls++; throw new DeliveryError('HTTP 503', true); })], { queueSize: 10, retries: 3, retryBaseMs: 1000, now: t.now, sleep: t.sleep });
    n.notify(event());
    await n.idle();
    expect(calls).toBe(4);
    expect(t.waits).toEqual([1000, 2000, 4000]);
    expect(n.stats()[0]).toMatchObject({ sent: 0, failed: 1, lastError: 'HTTP 503' });
  });

  it('waits at least what a Retry-After asks', async () => {
    const t = fakeTime();
    let calls = 0;
    const n = new Notifier([channel(async () => { if (calls++ === 0) throw new DeliveryError('HTTP 429', true, 30_000); })], { queueSize: 10, retries: 3, retryBaseMs: 1000, now: t.now, sleep: t.sleep });
    n.notify(event());
    await n.idle();
    expect(t.waits).toEqual([30_000]);
    expect(n.stats()[0]).toMatchObject({ sent: 1, failed: 0 });
  });

  it('paces a channel to its rate per minute after the first burst', async () => {
    const t = fakeTime();
    const sentAt: number[] = [];
    const n = new Notifier([channel(async () => void sentAt.push(t.now()), { ratePerMin: 2 })], { queueSize: 10, retries: 0, retryBaseMs: 1, now: t.now, sleep: t.sleep });
    for (let i = 0; i < 4; i++) n.notify(event('fill', i));
    await n.idle();
    // Two at once (the bucket holds a minute's worth), then one every 30 s.
    expect(sentAt).toEqual([0, 0, 30_000, 60_000]);
  });

  it('returns from notify() before delivering, and drops and counts beyond the queue bound of a stuck receiver', async () => {
    let started = 0;
    const stuck = channel(() => {
      started++;
      return new Promise<void>(() => undefined);
    });
    const n = new Notifier([stuck], { queueSize: 3, retries: 0, retryBaseMs: 1 });
    for (let i = 0; i < 10; i++) n.notify(event('fill', i));
    // Nothing ran on the caller's turn.
    expect(started).toBe(0);
    expect(n.stats()[0]).toMatchObject({ queued: 3, dropped: 7 });
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(1);
    expect(n.stats()[0]).toMatchObject({ queued: 2, dropped: 7 });
  });

  it('gives each channel only the kinds it asked for, and one stuck channel does not hold up another', async () => {
    const got: string[] = [];
    const n = new Notifier(
      [
        channel(() => new Promise<void>(() => undefined), { name: 'stuck' }),
        channel(async (x) => void got.push(x.kind), { name: 'ks', events: new Set<NotifyKind>(['kill_switch']) }),
      ],
      { queueSize: 10, retries: 0, retryBaseMs: 1 },
    );
    n.notify(event('fill'));
    n.notify(event('kill_switch'));
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['kill_switch']);
  });

  it('stop() lets the queue go out, then drops what a stuck channel still holds', async () => {
    const t = fakeTime();
    const delivered: number[] = [];
    // The grace period ends only when stop() aborts it: here delivery finishes first.
    const sleep = (ms: number, signal: AbortSignal) => (ms === 5000 ? new Promise<void>((r) => signal.addEventListener('abort', () => r())) : t.sleep(ms));
    const n = new Notifier([channel(async (x) => void delivered.push(x.ts))], { queueSize: 10, retries: 0, retryBaseMs: 1, now: t.now, sleep, stopGraceMs: 5000 });
    n.notify(event('fill', 1));
    n.notify(event('fill', 2));
    await n.stop();
    expect(delivered).toEqual([1, 2]);
    n.notify(event('fill', 3));
    expect(n.stats()[0]).toMatchObject({ queued: 0, sent: 2, dropped: 0 });

    const stuck = new Notifier([channel(() => new Promise<void>(() => undefined))], { queueSize: 10, retries: 0, retryBaseMs: 1, sleep: async () => undefined });
    for (let i = 0; i < 3; i++) stuck.notify(event('fill', i));
    await stuck.stop();
    expect(stuck.stats()[0]).toMatchObject({ queued: 0, dropped: 2 });
  });
});

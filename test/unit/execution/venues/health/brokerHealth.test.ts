// Broker health from a link, latencies and outcomes, with time moved by hand: down when not connected,
// degraded on slow answers, many refusals or a quiet stream, healthy otherwise; a venue without a link is up.

import { describe, expect, it } from 'vitest';
import { BrokerHealth, DEFAULT_HEALTH_LIMITS, type VenueLink } from '../../../../../src/execution/venues/health/brokerHealth.js';

function fakeLink(): VenueLink & { up: boolean; heard: number | null; answerMs: number | Error } {
  const l = {
    up: true,
    heard: 0 as number | null,
    answerMs: 5 as number | Error,
    connected: () => l.up,
    lastMessageAtMs: () => l.heard,
    probe: () => (l.answerMs instanceof Error ? Promise.reject(l.answerMs) : Promise.resolve(l.answerMs)),
  };
  return l;
}

describe('broker health', () => {
  it('reports a venue without a link (the simulated exchange) healthy', () => {
    const h = new BrokerHealth('sim', null, () => 0);
    expect(h.status()).toMatchObject({ venue: 'sim', state: 'healthy', connected: true, reasons: [], latencyMs: null });
  });

  it('is down while its link is not connected, healthy again when it is', () => {
    const link = fakeLink();
    const h = new BrokerHealth('ib', link, () => 1000);
    link.up = false;
    expect(h.status()).toMatchObject({ state: 'down', reasons: ['not connected'] });
    link.up = true;
    expect(h.status().state).toBe('healthy');
  });

  it('is degraded when the median latency reaches the limit', () => {
    const h = new BrokerHealth('ib', fakeLink(), () => 0);
    for (const ms of [10, 20, 30]) h.recordLatency(ms);
    expect(h.status()).toMatchObject({ state: 'healthy', latencyMs: { p50: 20, p99: 30, last: 30 } });
    for (const ms of [1500, 1600, 1700, 1800]) h.recordLatency(ms);
    expect(h.status().state).toBe('degraded');
    expect(h.status().reasons[0]).toMatch(/median latency 1500 ms/);
  });

  it('is degraded when enough of the recent requests failed, and recovers as they succeed', () => {
    const h = new BrokerHealth('ib', fakeLink(), () => 0);
    h.recordOutcome(false);
    h.recordOutcome(false);
    expect(h.status().state).toBe('healthy'); // too few to tell
    h.recordOutcome(true);
    h.recordOutcome(false);
    expect(h.status()).toMatchObject({ state: 'degraded', errorRate: 0.75, samples: 4 });
    for (let i = 0; i < DEFAULT_HEALTH_LIMITS.window; i++) h.recordOutcome(true);
    expect(h.status()).toMatchObject({ state: 'healthy', errorRate: 0 });
  });

  it('is degraded when nothing was heard from the broker for too long', () => {
    const link = fakeLink();
    let now = 0;
    const h = new BrokerHealth('ib', link, () => now);
    now = DEFAULT_HEALTH_LIMITS.staleAfterMs - 1;
    expect(h.status().state).toBe('healthy');
    now = DEFAULT_HEALTH_LIMITS.staleAfterMs;
    expect(h.status()).toMatchObject({ state: 'degraded', lastMessageAgeMs: DEFAULT_HEALTH_LIMITS.staleAfterMs });
  });

  it('probes through the link: an answer is a latency sample, a failure an error', async () => {
    const link = fakeLink();
    const h = new BrokerHealth('ib', link, () => 0);
    const seen: number[] = [];
    h.onLatency((ms) => seen.push(ms));
    link.answerMs = 42;
    await h.probe();
    link.answerMs = new Error('connection lost');
    await h.probe();
    expect(seen).toEqual([42]);
    expect(h.status()).toMatchObject({ samples: 2, errorRate: 0.5 });
  });
});

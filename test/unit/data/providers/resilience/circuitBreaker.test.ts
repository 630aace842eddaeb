// The circuit breaker's state machine with a simulated clock: closed → open after N consecutive failures,
// open → half-open after the cool-down, one trial call, and which errors count as service failures.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../../../src/core/clock.js';
import { isPi5Error, Pi5Error } from '../../../../../src/core/errors.js';
import { BreakerRegistry, CircuitBreaker } from '../../../../../src/data/providers/resilience/circuitBreaker.js';

const ok = (): Promise<string> => Promise.resolve('ok');
const down = (): Promise<string> => Promise.reject(new Pi5Error('PI5_ERR_PROVIDER', 'HTTP 500'));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isPi5Error(e) ? e.code : 'plain';
  }
  return 'none';
}

function setup(threshold = 3, coolDownMs = 10_000): { clock: SimulatedClock; b: CircuitBreaker } {
  const clock = new SimulatedClock(1_000);
  return { clock, b: new CircuitBreaker('yahoo', { failureThreshold: threshold, coolDownMs, clock }) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and then refuses without calling', async () => {
    const { b } = setup();
    for (let i = 0; i < 3; i++) expect(await codeOf(b.run(down))).toBe('PI5_ERR_PROVIDER');
    let called = false;
    expect(await codeOf(b.run(() => ((called = true), ok()), 'yahoo AAPL'))).toBe('PI5_ERR_CIRCUIT_OPEN');
    expect(called).toBe(false);
    expect(b.snapshot()).toEqual({ name: 'yahoo', state: 'open', consecutiveFailures: 3, openedAt: 1_000, retryAt: 11_000 });
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    const { b } = setup();
    await codeOf(b.run(down));
    await codeOf(b.run(down));
    expect(await b.run(ok)).toBe('ok');
    await codeOf(b.run(down));
    expect(b.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
  });

  it('does not count answers about the request (unknown symbol, bad usage) as failures', async () => {
    const { b } = setup(1);
    const unknown = (): Promise<string> => Promise.reject(new Pi5Error('PI5_ERR_UNKNOWN_SYMBOL', 'NOPE'));
    expect(await codeOf(b.run(unknown))).toBe('PI5_ERR_UNKNOWN_SYMBOL');
    expect(b.snapshot().state).toBe('closed');
  });

  it('half-opens after the cool-down, lets one trial through, and closes on its success', async () => {
    const { clock, b } = setup(2);
    await codeOf(b.run(down));
    await codeOf(b.run(down));
    clock.advanceTo(10_999);
    expect(b.snapshot().state).toBe('open');
    clock.advanceTo(11_000);
    expect(b.snapshot().state).toBe('half-open');
    let release: (v: string) => void = () => undefined;
    const trial = b.run(() => new Promise<string>((r) => (release = r)));
    // A second caller during the trial is refused rather than piling onto a service that may still be down.
    expect(await codeOf(b.run(ok))).toBe('PI5_ERR_CIRCUIT_OPEN');
    release('fine');
    expect(await trial).toBe('fine');
    expect(b.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('re-opens for a new cool-down when the trial fails', async () => {
    const { clock, b } = setup(2);
    await codeOf(b.run(down));
    await codeOf(b.run(down));
    clock.advanceTo(11_000);
    expect(await codeOf(b.run(down))).toBe('PI5_ERR_PROVIDER');
    expect(b.snapshot()).toMatchObject({ state: 'open', openedAt: 11_000, retryAt: 21_000 });
  });

  it('a registry keeps one breaker per provider and lists their states by name', async () => {
    const reg = new BreakerRegistry();
    const clock = new SimulatedClock(0);
    const y = reg.get('yahoo', { failureThreshold: 1, clock });
    expect(reg.get('yahoo')).toBe(y);
    reg.get('alphavantage', { clock });
    await codeOf(y.run(down));
    expect(reg.states().map((s) => [s.name, s.state])).toEqual([
      ['alphavantage', 'closed'],
      ['yahoo', 'open'],
    ]);
  });
});

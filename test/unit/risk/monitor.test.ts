// The real-time risk monitor on a hand-driven portfolio: every measure checked against numbers worked out
// by hand in the comments, and the rolling VaR window against quantileLinear on the same returns.

import { describe, expect, it } from 'vitest';
import { quantileLinear } from '../../../src/core/stats/numeric.js';
import type { RiskSnapshot } from '../../../src/model/events.js';
import type { OpenPositionReport } from '../../../src/model/types.js';
import { RiskMonitor, type RiskMonitorConfig } from '../../../src/risk/monitor.js';
import { ReturnWindow } from '../../../src/risk/monitor/returnWindow.js';

const H = 3_600_000;
const JAN1 = Date.UTC(2024, 0, 1);

/** A portfolio whose equity and positions the test sets by hand before each close. */
interface Rig {
  monitor: RiskMonitor;
  published: RiskSnapshot[];
  close(ts: number, equity: number, positions?: OpenPositionReport[], benchmarkClose?: number): RiskSnapshot | undefined;
}

function rig(config: RiskMonitorConfig, startEquity = 1000): Rig {
  let equity = startEquity;
  let positions: OpenPositionReport[] = [];
  let bench = NaN;
  const published: RiskSnapshot[] = [];
  const monitor = new RiskMonitor(config, startEquity, {
    portfolio: { equity: () => equity, openPositionReports: () => positions },
    lastClose: () => bench,
    checkSymbol: (s) => {
      if (s !== 'BENCH') throw new Error(`unknown ${s}`);
    },
    publish: (s) => published.push(s),
  });
  return {
    monitor,
    published,
    close(ts, e, p = [], b = NaN) {
      equity = e;
      positions = p;
      bench = b;
      const before = published.length;
      monitor.timeStepClosed(ts);
      return published.length > before ? published[published.length - 1] : undefined;
    },
  };
}

function position(symbol: string, side: 'long' | 'short', quantity: number, lastPrice: number): OpenPositionReport {
  return { symbol, side, quantity, entryTime: JAN1, avgPrice: lastPrice, lastPrice, unrealizedPnl: 0 };
}

/** Equity marks that produce the given step returns from `start`. */
function path(start: number, returns: readonly number[]): number[] {
  const out: number[] = [];
  let e = start;
  for (const r of returns) out.push((e *= 1 + r));
  return out;
}

describe('RiskMonitor', () => {
  it('measures exposure by symbol, gross and net as fractions of equity, and HHI of the weights', () => {
    const r = rig({ lookback: 5 }, 10_000);
    // AAA +10 × 100 = +1000, BBB −5 × 200 = −1000, CCC +20 × 100 = +2000 on equity 10 000:
    // gross 4000 (0.4), net 2000 (0.2); weights 1/4, 1/4, 1/2 → HHI 1/16 + 1/16 + 1/4 = 0.375.
    const s = r.close(JAN1, 10_000, [position('AAA', 'long', 10, 100), position('BBB', 'short', 5, 200), position('CCC', 'long', 20, 100)]);
    expect(s?.exposures).toEqual([
      { symbol: 'AAA', quantity: 10, lastPrice: 100, exposure: 1000, fractionOfEquity: 0.1 },
      { symbol: 'BBB', quantity: -5, lastPrice: 200, exposure: -1000, fractionOfEquity: -0.1 },
      { symbol: 'CCC', quantity: 20, lastPrice: 100, exposure: 2000, fractionOfEquity: 0.2 },
    ]);
    expect([s?.grossExposure, s?.netExposure, s?.grossFraction, s?.netFraction]).toEqual([4000, 2000, 0.4, 0.2]);
    expect(s?.hhi).toBeCloseTo(0.375, 15);
    // One position: HHI 1. Flat: 0.
    expect(r.close(JAN1 + H, 10_000, [position('AAA', 'long', 10, 100)])?.hhi).toBe(1);
    expect(r.close(JAN1 + 2 * H, 10_000)?.hhi).toBe(0);
  });

  it('daily P&L starts each day from the last close before it, in UTC or the configured zone', () => {
    // Closes at Jan 1 15:00Z (1010), Jan 2 03:00Z (1030), Jan 2 15:00Z (1020), from 1000.
    const times = [JAN1 + 15 * H, JAN1 + 27 * H, JAN1 + 39 * H];
    const equity = [1010, 1030, 1020];
    // UTC days: Jan 1 | Jan 2, Jan 2 → 1010 − 1000 = 10; 1030 − 1010 = 20; 1020 − 1010 = 10.
    const utc = rig({ lookback: 5 });
    expect(times.map((t, i) => utc.close(t, equity[i] as number)?.dailyPnl)).toEqual([10, 20, 10]);
    // New York (UTC−5): Jan 1 10:00, Jan 1 22:00 | Jan 2 10:00 → 10; 30; 1020 − 1030 = −10.
    const ny = rig({ lookback: 5, timeZone: 'America/New_York' });
    expect(times.map((t, i) => ny.close(t, equity[i] as number)?.dailyPnl)).toEqual([10, 30, -10]);
    // One snapshot kept per local day, the day's last.
    expect(utc.monitor.snapshots.map((s) => s.step)).toEqual([0, 2]);
    expect(ny.monitor.snapshots.map((s) => s.step)).toEqual([1, 2]);
  });

  it('drawdown is measured from the running peak, starting equity included', () => {
    const r = rig({ lookback: 5 });
    // 1000 → 1100 (peak) → 990: 110 / 1100 = 0.1 → 1045: 55 / 1100 = 0.05 → 1200: new peak, 0.
    const got = [1100, 990, 1045, 1200].map((e, i) => r.close(JAN1 + i * H, e));
    expect(got.map((s) => s?.peakEquity)).toEqual([1100, 1100, 1100, 1200]);
    expect(got[0]?.drawdown).toBe(0);
    expect(got[1]?.drawdown).toBeCloseTo(0.1, 15);
    expect(got[2]?.drawdown).toBeCloseTo(0.05, 15);
    expect(got[3]?.drawdown).toBe(0);
    // Below the starting equity from the first close: (1000 − 900) / 1000.
    expect(rig({ lookback: 5 }).close(JAN1, 900)?.drawdown).toBeCloseTo(0.1, 15);
  });

  it('VaR and ES at 95% and 99% cover only the last `lookback` returns and match quantileLinear', () => {
    const r = rig({ lookback: 5 });
    const returns = [0.1, -0.2, 0.05, -0.1, 0.02, -0.04, 0.01];
    const marks = path(1000, returns);
    let s: RiskSnapshot | undefined;
    marks.forEach((e, i) => (s = r.close(JAN1 + i * H, e)));
    // The −20% has left the window: it holds −0.10, −0.04, 0.01, 0.02, 0.05 (sorted).
    // q_0.05: index 4 × 0.05 = 0.2 → −0.10 + 0.2 × 0.06 = −0.088; the tail ≤ q is −0.10 alone.
    // q_0.01: index 0.04 → −0.10 + 0.04 × 0.06 = −0.0976; same tail.
    expect(s?.windowReturns).toBe(5);
    expect(s?.var95).toBeCloseTo(0.088, 12);
    expect(s?.es95).toBeCloseTo(0.1, 12);
    expect(s?.var99).toBeCloseTo(0.0976, 12);
    expect(s?.es99).toBeCloseTo(0.1, 12);
    // Bit for bit the quantile of the same window's returns, recomputed from the marks.
    const window = [1000, ...marks].map((e, i, a) => (i === 0 ? NaN : (e - (a[i - 1] as number)) / (a[i - 1] as number))).slice(-5);
    const sorted = Float64Array.from(window).sort();
    expect(s?.var95).toBe(-quantileLinear(sorted, 0.05));
    expect(s?.var99).toBe(-quantileLinear(sorted, 0.01));
  });

  it('ES averages every return at or below the quantile', () => {
    // 21 returns −0.10..+0.10 in steps of 0.01, pushed out of order: index 20 × 0.05 = 1 → q = −0.09,
    // the second smallest; tail {−0.10, −0.09} → ES 0.095.
    const w = new ReturnWindow(21);
    for (let i = 0; i < 21; i++) w.push((((i * 8) % 21) - 10) / 100);
    const t = w.tail(0.05);
    expect(t?.valueAtRisk).toBeCloseTo(0.09, 15);
    expect(t?.expectedShortfall).toBeCloseTo(0.095, 15);
    expect(new ReturnWindow(3).tail(0.05)).toBeNull();
  });

  it('keeps its sorted window equal to a fresh sort of the last `capacity` returns', () => {
    const w = new ReturnWindow(7);
    const all: number[] = [];
    let seed = 12345;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // Coarse values so ties (and zeros) are common.
      const r = (Math.floor((seed / 2 ** 31) * 9) - 4) / 100;
      all.push(r);
      w.push(r);
      expect(Array.from(w.ascending())).toEqual(all.slice(-7).sort((a, b) => a - b));
    }
  });

  it('beta is cov(r, b) / var(b) over the window, null before two pairs and without a benchmark price', () => {
    const r = rig({ lookback: 10, benchmark: 'BENCH' });
    // Benchmark 100 → 110 → 99 → 103.95: b = +0.10, −0.10, +0.05. Portfolio r = 2b + 0.01 → beta exactly 2.
    const bench = [100, 110, 99, 103.95];
    const marks = path(1000, [0.03, 0.21, -0.19, 0.11]);
    const betas = bench.map((b, i) => r.close(JAN1 + i * H, marks[i] as number, [], b)?.beta);
    // Pairs need two benchmark closes: none at step 0, one at step 1, two (enough) from step 2.
    expect(betas.slice(0, 2)).toEqual([null, null]);
    expect(betas[2]).toBeCloseTo(2, 12);
    expect(betas[3]).toBeCloseTo(2, 12);
    // Without a benchmark configured there is no beta at all.
    expect(rig({ lookback: 10 }).close(JAN1, 1000)?.beta).toBeNull();
  });

  it('beta ignores steps before the benchmark had a price, and a flat benchmark gives null', () => {
    const r = rig({ lookback: 10, benchmark: 'BENCH' });
    const bench = [NaN, NaN, 100, 110, 99, 103.95];
    const marks = path(1000, [0.5, -0.3, 0.02, 0.21, -0.19, 0.11]);
    const last = bench.map((b, i) => r.close(JAN1 + i * H, marks[i] as number, [], b)).at(-1);
    expect(last?.beta).toBeCloseTo(2, 12);
    const flat = rig({ lookback: 10, benchmark: 'BENCH' });
    const s = [1000, 1010, 990, 1005].map((e, i) => flat.close(JAN1 + i * H, e, [], 100)).at(-1);
    expect(s?.beta).toBeNull();
  });

  it('measures every N-th close while the windows still see every step', () => {
    const r = rig({ lookback: 10, every: 3 });
    const marks = path(1000, [0.01, 0.02, -0.01, 0.03, 0.01, -0.02, 0.01]);
    marks.forEach((e, i) => r.close(JAN1 + i * H, e));
    expect(r.published.map((s) => [s.step, s.windowReturns])).toEqual([
      [2, 3],
      [5, 6],
    ]);
  });

  it('checks the benchmark symbol at the first close and its configuration up front', () => {
    expect(() => rig({ lookback: 5, benchmark: 'NOPE' }).close(JAN1, 1000)).toThrow(/unknown NOPE/);
    expect(() => rig({ lookback: 1 })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_CONFIG' }));
    expect(() => rig({ lookback: 5, every: 0 })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_CONFIG' }));
    expect(() => rig({ lookback: 5, timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_CONFIG' }));
  });
});

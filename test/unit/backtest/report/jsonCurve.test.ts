import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equityCurveBlocks, writeJsonNumber } from '../../../../src/backtest/report/jsonCurve.js';

function numberText(x: number): string {
  const buf = Buffer.alloc(64);
  return buf.toString('latin1', 0, writeJsonNumber(buf, 0, x));
}

function curveText(times: number[], equity: number[]): string {
  // Each block is read before the next is asked for: they share one buffer.
  const blocks: string[] = [];
  for (const b of equityCurveBlocks(Float64Array.from(times), Float64Array.from(equity), 3)) blocks.push(b.toString('latin1'));
  return `[${blocks.join('')}]`;
}

function isoOrNull(t: number): string | null {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

describe('writeJsonNumber', () => {
  it('prints any double exactly as JSON.stringify does', () => {
    const x = fc.oneof(fc.double(), fc.double({ min: -(2 ** 27), max: 2 ** 27 }), fc.double({ min: 0.5, max: 2 ** 26 }));
    fc.assert(fc.property(x, (v) => numberText(v) === JSON.stringify(v)), { numRuns: 30_000 });
  });

  it('prints values exact to 8 decimals (the fast path) as String does', () => {
    const pu = fc.integer({ min: -(2 ** 52), max: 2 ** 52 });
    fc.assert(fc.property(pu, (n) => numberText(n / 1e8) === String(n / 1e8)), { numRuns: 20_000 });
    for (const x of [1, -1, 1.5, 99.99999999, 67_108_863.99999999, 2 ** 26, 1234.5, 100_000.00000001]) {
      expect(numberText(x)).toBe(String(x));
    }
  });
});

describe('equityCurveBlocks', () => {
  it('writes times as JSON.stringify writes toISOString (or null)', () => {
    const time = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double({ noNaN: false }),
    );
    fc.assert(
      fc.property(fc.array(time, { maxLength: 10 }), (times) => {
        const equity = times.map((_, i) => i + 0.5);
        const expected = JSON.stringify(times.map((t, i) => [isoOrNull(t), equity[i]]));
        return curveText(times, equity) === expected;
      }),
      { numRuns: 5_000 },
    );
  });

  it('puts a comma between blocks and none at the ends', () => {
    const text = curveText([0, 60_000, 120_000, 180_000], [1, 2, 3, 4]);
    expect(JSON.parse(text)).toHaveLength(4);
  });
});

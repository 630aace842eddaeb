// writeBarsCsv writes bytes from integers where it can; its text must be what the definition says (a price is
// toFixed(maxDecimals) with trailing zeros dropped down to priceDecimals, a volume String(v), times in UTC), for
// awkward values too, and the blocks of barsCsvBlocks must join to the same text.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BarsCsvWriter, barsCsvBlocks, parseBarsCsv, writeBarsCsv } from '../../../../src/data/csv/index.js';
import { sliceSeries, type BarSeries } from '../../../../src/model/barSeries.js';

/** The definition, one string per row: the reference the byte writer must match. */
function price(x: number, min: number, max: number): string {
  let text = x.toFixed(max);
  let cut = max - min;
  while (cut > 0 && text.endsWith('0')) {
    text = text.slice(0, -1);
    cut--;
  }
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

function reference(s: BarSeries, dateOnly: boolean, maxDecimals?: number): string {
  const d = s.priceDecimals;
  const max = Math.max(d, maxDecimals ?? d);
  let out = 'Date,Open,High,Low,Close,Volume\n';
  for (let i = 0; i < s.length; i++) {
    const iso = new Date(s.ts[i] as number).toISOString();
    const date = dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    const px = [s.open, s.high, s.low, s.close].map((c) => price(c[i] as number, d, max));
    out += `${date},${px.join(',')},${String(s.volume[i])}\n`;
  }
  return out;
}

function series(timeframe: string, priceDecimals: number, rows: readonly (readonly number[])[]): BarSeries {
  const col = (k: number): Float64Array => Float64Array.from(rows.map((r) => r[k] as number));
  return { symbol: 'X', timeframe, priceDecimals, length: rows.length, ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) } as BarSeries;
}

const AWKWARD = [0, -0, 1e-9, -1e-9, -0.004, 0.005, 0.015, 1.005, 2.675, 99.995, 0.1 + 0.2, 1234567.891, 123456789.12345679, 2 ** 51, 2 ** 53, 1e15, 1e21, 5e-324, -3.14159, Number.NaN, Number.POSITIVE_INFINITY];

describe('writeBarsCsv', () => {
  it('writes awkward prices, volumes and times exactly as the definition does', () => {
    const rows = AWKWARD.map((x, i) => [Date.UTC(1969, 11, 31, 23, 59, 59) + i * 61_001.7, x, -x, x / 3, x * 7, i % 2 === 0 ? x : i * 1000]);
    for (const [timeframe, dateOnly] of [['1m', false], ['1d', true]] as const) {
      for (const d of [0, 2, 4, 8]) {
        for (const maxDecimals of [undefined, d + 3, 12, 20]) {
          const s = series(timeframe, d, rows);
          expect(writeBarsCsv(s, maxDecimals === undefined ? {} : { maxDecimals })).toBe(reference(s, dateOnly, maxDecimals));
        }
      }
    }
  });

  it('matches the definition on random bars, and its blocks join to the same text', () => {
    const bar = fc.tuple(
      fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }),
      fc.double({ noNaN: true, min: -1e9, max: 1e9 }),
      fc.double({ noNaN: true, min: 0, max: 1e7 }),
      fc.integer({ min: 0, max: 1e9 }).map((n) => n / 100),
      fc.integer({ min: 1, max: 1e8 }).map((n) => n / 10_000),
      fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.double({ noNaN: true, min: 0, max: 1e12 })),
    );
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 40 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), (rows, d, intraday) => {
        const s = series(intraday ? '5m' : '1d', d, rows);
        const text = writeBarsCsv(s, { maxDecimals: d + 4 });
        expect(text).toBe(reference(s, !intraday, d + 4));
        expect(Buffer.concat([...barsCsvBlocks(s, { maxDecimals: d + 4 })]).toString('latin1')).toBe(text);
      }),
    );
  });

  it('splits a long series into blocks of whole rows that read back to the same bars', () => {
    const n = 40_000;
    const rows = Array.from({ length: n }, (_, i) => [Date.UTC(2024, 0, 2) + i * 60_000, 100 + (i % 97) / 100, 101 + (i % 89) / 100, 99 - (i % 83) / 100, 100 + (i % 79) / 100, i]);
    const s = series('1m', 2, rows);
    const blocks = [...barsCsvBlocks(s)];
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks) expect(b[b.length - 1]).toBe(0x0a);
    const back = parseBarsCsv(Buffer.concat(blocks).toString('latin1'), { source: 'blocks.csv', symbol: 'X' });
    expect(back.length).toBe(n);
    const differing = (a: Float64Array, b: Float64Array): number => a.reduce((k, x, i) => k + +(x !== b[i]), 0);
    expect(differing(back.close, s.close)).toBe(0);
    expect(differing(back.ts, s.ts)).toBe(0);
  });

  // A streamed export writes the parts of a series as they are read: cut anywhere, the text is the whole series'.
  it('writes a series in consecutive parts to the same text as whole', () => {
    const bar = fc.tuple(
      fc.integer({ min: 0, max: 4_000_000_000_000 }),
      fc.integer({ min: 0, max: 1e9 }).map((n) => n / 1000),
      fc.integer({ min: 0, max: 1e9 }).map((n) => n / 100),
      fc.integer({ min: 0, max: 1e9 }).map((n) => n / 10),
      fc.integer({ min: 0, max: 1e9 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
    );
    fc.assert(
      fc.property(fc.array(bar, { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 60 })), fc.integer({ min: 0, max: 6 }), fc.boolean(), (rows, cuts, d, intraday) => {
        const s = series(intraday ? '1m' : '1d', d, rows);
        const writer = new BarsCsvWriter(s.timeframe, d, { maxDecimals: d + 2 });
        const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, s.length)), s.length])].sort((a, b) => a - b);
        const parts = bounds.slice(1).flatMap((end, k) => [...writer.blocks(sliceSeries(s, bounds[k] as number, end), k === 0)]);
        expect(Buffer.concat(parts).toString('latin1')).toBe(writeBarsCsv(s, { maxDecimals: d + 2 }));
      }),
    );
  });
});

// Pure pieces of the Alpha Vantage mapping with hand-checked numbers: New York wall time → UTC across both
// DST changes, split coefficients as share ratios, the months an intraday range asks for, and the cache codec.

import { describe, expect, it } from 'vitest';
import { keyInstant, splitRatio, wallToUtc } from '../../../../../src/data/providers/alphavantage/mapper.js';
import { monthsBetween } from '../../../../../src/data/providers/alphavantage/provider.js';
import { decodeBars, encodeBars, parseBarsEntry } from '../../../../../src/data/providers/resilience/barsCodec.js';
import { allocateSeries } from '../../../../../src/model/barSeries.js';

describe('alphavantage mapping', () => {
  it('converts US/Eastern wall times to UTC: EST −5 h, EDT −4 h, on both sides of each change', () => {
    const iso = (key: string): string => new Date(keyInstant(key, 'US/Eastern') ?? NaN).toISOString();
    expect(iso('2024-03-08 09:30:00')).toBe('2024-03-08T14:30:00.000Z');
    expect(iso('2024-03-11 09:30:00')).toBe('2024-03-11T13:30:00.000Z');
    expect(iso('2024-11-01 15:55:00')).toBe('2024-11-01T19:55:00.000Z');
    expect(iso('2024-11-04 15:55:00')).toBe('2024-11-04T20:55:00.000Z');
    expect(iso('2024-03-08')).toBe('2024-03-08T00:00:00.000Z');
    expect(keyInstant('2024-03-08 09:30:00', undefined)).toBeUndefined();
    expect(wallToUtc(Date.UTC(2024, 0, 2, 16, 0), 'America/New_York')).toBe(Date.UTC(2024, 0, 2, 21, 0));
  });

  it('reads split coefficients as new:old share ratios', () => {
    expect(splitRatio(4)).toEqual({ numerator: 4, denominator: 1 });
    expect(splitRatio(0.5)).toEqual({ numerator: 1, denominator: 2 });
    expect(splitRatio(1.5)).toEqual({ numerator: 3, denominator: 2 });
    expect(splitRatio(0.1)).toEqual({ numerator: 1, denominator: 10 });
    expect(splitRatio(0)).toBeUndefined();
  });

  it('lists the New York calendar months of a range (a UTC instant after midnight can still be the month before)', () => {
    expect(monthsBetween(Date.UTC(2023, 11, 20), Date.UTC(2024, 1, 3))).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(monthsBetween(Date.UTC(2024, 2, 1, 3, 0), Date.UTC(2024, 2, 1, 4, 0))).toEqual(['2024-02']);
    expect(monthsBetween(Date.UTC(2024, 2, 1, 5, 0), Date.UTC(2024, 2, 31))).toEqual(['2024-03']);
  });

  it('round-trips bars and corporate actions through the cache codec and rejects a torn entry', () => {
    const s = allocateSeries('ACME', '1d', 2, 4);
    s.ts.set([86_400_000, 172_800_000]);
    s.open.set([1.2345, 2]);
    s.high.set([1.5, 2.5]);
    s.low.set([1, 1.5]);
    s.close.set([1.25, 2.25]);
    s.volume.set([100, 200]);
    const bars = { series: s, corporateActions: [{ kind: 'split' as const, symbol: 'ACME', ts: 172_800_000, numerator: 2, denominator: 1 }], skippedRows: 1 };
    const back = decodeBars(parseBarsEntry(JSON.parse(JSON.stringify(encodeBars(bars)))));
    expect(back).toEqual(bars);
    expect(() => parseBarsEntry({ ...encodeBars(bars), close: [1] })).toThrow(/different lengths/);
  });
});

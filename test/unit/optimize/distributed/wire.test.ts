// The distributed wire format: numbers survive exactly (NaN, ±Infinity, -0 included), hashes ignore key
// order, and packed bars unpack to the same columns in shared memory.

import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeJson, encodeJson, packSeries, sha256, unpackSeries } from '../../../../src/optimize/distributed/wire.js';
import { shareSeries, viewSeries } from '../../../../src/optimize/sharedSeries.js';
import { allocateSeries } from '../../../../src/model/barSeries.js';
import { errorOf } from '../../../helpers/errors.js';

describe('distributed wire format', () => {
  it('round-trips every number a metric can be, and keeps key order', () => {
    const v = { b: NaN, a: [Infinity, -Infinity, -0, 0, 0.1 + 0.2, 5e-324], s: 'NaN', n: null, o: { $num: 'x' } };
    const back = decodeJson(encodeJson(v), 'test') as typeof v;
    expect(back).toEqual(v);
    expect(Object.is(back.a[2], -0)).toBe(true);
    expect(Object.keys(back)).toEqual(['b', 'a', 's', 'n', 'o']);
  });

  it('hashes equal values equally whatever their key order, and different values differently', () => {
    expect(sha256(canonicalJson({ fast: 5, slow: 20 }))).toBe(sha256(canonicalJson({ slow: 20, fast: 5 })));
    expect(sha256(canonicalJson({ fast: 5, slow: 20 }))).not.toBe(sha256(canonicalJson({ fast: 5, slow: 21 })));
    expect(canonicalJson({ x: -0 })).not.toBe(canonicalJson({ x: 0 }));
  });

  it('packs series into one buffer and unpacks the same bars', () => {
    const a = allocateSeries('AAA', '1d', 3, 2);
    const b = allocateSeries('BBBB', '1h', 2, 4);
    a.close.set([1.5, 2.25, NaN]);
    a.ts.set([1, 2, 3]);
    b.volume.set([7, 8]);
    const packed = packSeries([a, b].map(shareSeries));
    const back = unpackSeries(packed, 'test').map(viewSeries);
    expect(back.map((s) => [s.symbol, s.timeframe, s.priceDecimals, s.length])).toEqual([['AAA', '1d', 2, 3], ['BBBB', '1h', 4, 2]]);
    expect(Array.from(back[0]?.close ?? [])).toEqual([1.5, 2.25, NaN]);
    expect(Array.from(back[0]?.ts ?? [])).toEqual([1, 2, 3]);
    expect(Array.from(back[1]?.volume ?? [])).toEqual([7, 8]);
    expect(back[0]?.close.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('refuses a truncated data set with a coded error naming it', () => {
    const packed = packSeries([shareSeries(allocateSeries('AAA', '1d', 4, 2))]);
    const e = errorOf(() => unpackSeries(packed.subarray(0, packed.length - 8), 'data set abc'));
    expect(e.code).toBe('PI5_ERR_QUEUE');
    expect(e.message).toMatch(/data set abc: not a packed data set: series AAA runs past the end/);
  });
});

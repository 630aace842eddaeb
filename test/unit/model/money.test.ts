// Exact money in price units (1 pu = 1e-8): conversions, formatting, half-even mulDiv, decimal parsing and
// percent offsets.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divRoundPu, formatPu, mulDivRound, notionalPu, offsetByPercentPu, parseDecimal, puToNumber, toPu } from '../../../src/model/money.js';

describe('toPu', () => {
  it('converts decimal prices to exact integer pu', () => {
    expect(toPu(102)).toBe(10_200_000_000);
    expect(toPu(0.1)).toBe(10_000_000);
    expect(toPu(0.29)).toBe(29_000_000);
    expect(toPu(-2.5)).toBe(-250_000_000);
    expect(toPu(0.00000001)).toBe(1);
  });

  it('recovers the intended decimal where the float product is off: 1.005 × 1e8 = 100499999.99999999', () => {
    expect(toPu(1.005)).toBe(100_500_000);
  });

  it('is exact for every 8-decimal price up to 10 000 000 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (n) => {
        expect(toPu(n / 1e8)).toBe(n);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('puToNumber', () => {
  it('converts numbers and bigints, negatives included', () => {
    expect(puToNumber(150_000_000)).toBe(1.5);
    expect(puToNumber(150_000_000n)).toBe(1.5);
    expect(puToNumber(-150_000_000n)).toBe(-1.5);
    expect(puToNumber(99_232_650_638_000n)).toBe(992_326.50638);
  });
});

describe('formatPu', () => {
  it('prints exact decimals without trailing zeros', () => {
    expect(formatPu(99_232_650_638_000n)).toBe('992326.50638');
    expect(formatPu(100_000_000n)).toBe('1');
    expect(formatPu(0n)).toBe('0');
    expect(formatPu(1n)).toBe('0.00000001');
    expect(formatPu(10_200_000_000)).toBe('102');
  });

  it('prints negatives with one leading minus', () => {
    expect(formatPu(-150_000_000n)).toBe('-1.5');
    expect(formatPu(-5n)).toBe('-0.00000005');
    expect(formatPu(-100_000_000)).toBe('-1');
  });

  it('round-trips through parseDecimal (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (pu) => {
        const d = parseDecimal(formatPu(pu));
        expect(d).not.toBeNull();
        if (d) expect(d.num * 10n ** BigInt(8 - d.scale)).toBe(pu);
      }),
    );
  });
});

describe('mulDivRound', () => {
  it('rounds halves to even', () => {
    // 5/2 = 2.5 → 2; 7/2 = 3.5 → 4; 10 × 3 / 4 = 7.5 → 8; 9/2 = 4.5 → 4.
    expect([mulDivRound(5n, 1n, 2n), mulDivRound(7n, 1n, 2n), mulDivRound(10n, 3n, 4n), mulDivRound(9n, 1n, 2n)]).toEqual([2n, 4n, 8n, 4n]);
  });

  it('rounds halves to even for negatives too', () => {
    // −2.5 → −2; −3.5 → −4; −7.5 → −8; −0.5 → 0.
    expect([mulDivRound(-5n, 1n, 2n), mulDivRound(-7n, 1n, 2n), mulDivRound(-10n, 3n, 4n), mulDivRound(-1n, 1n, 2n)]).toEqual([-2n, -4n, -8n, 0n]);
  });

  it('rounds non-halves to nearest, either sign', () => {
    // 1/3 → 0; 2/3 → 1; −1/3 → 0; −2/3 → −1; 7/3 = 2.33 → 2; −8/3 = −2.67 → −3.
    expect([mulDivRound(1n, 1n, 3n), mulDivRound(2n, 1n, 3n), mulDivRound(-1n, 1n, 3n), mulDivRound(-2n, 1n, 3n)]).toEqual([0n, 1n, 0n, -1n]);
    expect([mulDivRound(7n, 1n, 3n), mulDivRound(-8n, 1n, 3n)]).toEqual([2n, -3n]);
  });

  it('is exact when the division is', () => {
    expect(mulDivRound(123_456_789n, 1000n, 1000n)).toBe(123_456_789n);
    expect(mulDivRound(0n, 7n, 3n)).toBe(0n);
  });

  it('is the nearest integer, ties to even, for any operands (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (a, b, c) => {
        const q = mulDivRound(a, b, c);
        const err = q * c - a * b; // c × (q − exact)
        const twice = 2n * (err < 0n ? -err : err);
        expect(twice <= c).toBe(true);
        if (twice === c) expect(q % 2n).toBe(0n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('notionalPu', () => {
  it('is quantity × price exactly, beyond 2^53', () => {
    // 1 000 000 × 123 456.78901234 = 123 456 789 012.34 → 12 345 678 901 234 000 000 pu.
    expect(notionalPu(1_000_000, 12_345_678_901_234)).toBe(12_345_678_901_234_000_000n);
    expect(notionalPu(-3, 5)).toBe(-15n);
  });

  it('is exact on both sides of 2^53 (the double product is used only while it is a safe integer)', () => {
    // 2^53 - 1 = 9 007 199 254 740 991 = 6 361 × 69 431 × 20 394 401
    expect(notionalPu(6_361, 69_431 * 20_394_401)).toBe(9_007_199_254_740_991n);
    // 2^53 + 1 (odd) has no double: the product rounds to 2^53 and must take the bigint path.
    expect(notionalPu(3, 3_002_399_751_580_331)).toBe(9_007_199_254_740_993n);
    expect(notionalPu(-3, 3_002_399_751_580_331)).toBe(-9_007_199_254_740_993n);
    fc.assert(
      fc.property(fc.integer({ min: -1e7, max: 1e7 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (q, p) => {
        expect(notionalPu(q, p)).toBe(BigInt(q) * BigInt(p));
      }),
    );
  });

  it('refuses a fractional factor even when the product is whole', () => {
    expect(() => notionalPu(0.5, 200)).toThrow(RangeError);
    expect(() => notionalPu(2, 0.5)).toThrow(RangeError);
  });
});

describe('parseDecimal', () => {
  it('parses plain decimals exactly', () => {
    expect(parseDecimal('7.5')).toEqual({ num: 75n, scale: 1 });
    expect(parseDecimal('-0.25')).toEqual({ num: -25n, scale: 2 });
    expect(parseDecimal('+3')).toEqual({ num: 3n, scale: 0 });
    expect(parseDecimal('.5')).toEqual({ num: 5n, scale: 1 });
    expect(parseDecimal('5.')).toEqual({ num: 5n, scale: 0 });
    expect(parseDecimal(' 2.50 ')).toEqual({ num: 250n, scale: 2 });
    expect(parseDecimal('0.00000001')).toEqual({ num: 1n, scale: 8 });
  });

  it('returns null for anything that is not a plain decimal', () => {
    for (const t of ['', '.', '-', 'abc', '1e5', '1,5', '1.2.3', '--1', 'NaN', 'Infinity', '0x10']) expect(parseDecimal(t)).toBeNull();
  });
});

describe('offsetByPercentPu', () => {
  it('applies a percent exactly: 100.00 − 5% = 95.00', () => {
    expect(offsetByPercentPu(10_000_000_000, 5, -1)).toBe(9_500_000_000);
  });

  it('keeps full pu precision (no tick rounding): 100.01 − 2.5% = 97.50975, 99.99 + 2.5% = 102.48975', () => {
    expect(offsetByPercentPu(10_001_000_000, 2.5, -1)).toBe(9_750_975_000);
    expect(offsetByPercentPu(9_999_000_000, 2.5, 1)).toBe(10_248_975_000);
  });

  it('is exact where floats are not: 100.00 × (1 − 0.1/100) = 99.9', () => {
    // 1e10 × 0.999 in floats is 9989999999.999998 before rounding; exact is 9 990 000 000.
    expect(offsetByPercentPu(10_000_000_000, 0.1, -1)).toBe(9_990_000_000);
  });

  it('rounds a half pu to even', () => {
    // 3 × 0.5 = 1.5 → 2; 5 × 0.5 = 2.5 → 2; 1 × 1.5 = 1.5 → 2.
    expect([offsetByPercentPu(3, 50, -1), offsetByPercentPu(5, 50, -1), offsetByPercentPu(1, 50, 1)]).toEqual([2, 2, 2]);
  });

  it('falls back to float arithmetic for percents written in exponent form', () => {
    // String(1e-7) = "1e-7": 1e10 × (1 − 1e-9) = 9 999 999 990.
    expect(offsetByPercentPu(10_000_000_000, 1e-7, -1)).toBe(9_999_999_990);
  });
});

describe('divRoundPu', () => {
  it('rounds halves to even: 5/2 → 2, 7/2 → 4, −5/2 → −2, 10/4 → 2, 14/4 → 4', () => {
    expect(divRoundPu(5n, 2)).toBe(2);
    expect(divRoundPu(7n, 2)).toBe(4);
    expect(divRoundPu(-5n, 2)).toBe(-2);
    expect(divRoundPu(10n, 4)).toBe(2);
    expect(divRoundPu(14n, 4)).toBe(4);
    expect(divRoundPu(-7n, 3)).toBe(-2);
  });

  it('agrees with the bigint mulDivRound for any amount, below and above 2^53 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.integer({ min: 1, max: 1_000_000 }), (a, q) => {
        expect(divRoundPu(a, q)).toBe(Number(mulDivRound(a, 1n, BigInt(q))));
      }),
    );
  });
});

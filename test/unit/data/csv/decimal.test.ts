import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalParser } from '../../../../src/data/csv/decimal.js';

const parser = new DecimalParser();
const parse = (text: string, maxDecimals = Infinity): number => {
  const bytes = Buffer.from(text, 'latin1');
  return parser.parse(bytes, 0, bytes.length, maxDecimals);
};

/** Reference rounding of a non-negative decimal string to 8 places, half away from zero, via BigInt. */
function roundTo8(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length <= 8) return parseFloat(text);
  let units = BigInt(whole + fraction.slice(0, 8));
  if (fraction.charCodeAt(8) >= 53) units += 1n;
  const digits = units.toString().padStart(9, '0');
  return parseFloat(`${digits.slice(0, -8)}.${digits.slice(-8)}`);
}

describe('DecimalParser', () => {
  it('equals parseFloat on the shortest round-trip text of any finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(parse(String(x)), parseFloat(String(x)))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('equals parseFloat on fixed, exponential and precision formats', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 14 }), (x, k) => {
        for (const text of [x.toFixed(k), x.toExponential(k), x.toPrecision(k + 1)]) {
          expect(Object.is(parse(text), parseFloat(text))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('equals parseFloat on random digit strings, including more than 15 significant digits', () => {
    const decimal = fc.stringMatching(/^-?\d{1,20}(\.\d{1,20})?$/);
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(parse(text), parseFloat(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('counts fraction digits, trailing zeros included', () => {
    parse('1.750000');
    expect(parser.decimals).toBe(6);
    parse('12');
    expect(parser.decimals).toBe(0);
    parse('1.5e-3');
    expect(parser.decimals).toBe(4);
    parse('.5');
    expect(parser.decimals).toBe(1);
  });

  it('rounds more than maxDecimals fraction digits half away from zero on the text', () => {
    expect(parse('1.123456785', 8)).toBe(1.12345679);
    expect(parse('1.123456784999', 8)).toBe(1.12345678);
    expect(parse('-0.000000005', 8)).toBe(-0.00000001);
    expect(parse('123456789.123456789', 8)).toBe(123456789.12345679);
    expect(parser.decimals).toBe(8);
    expect(parse('9.999999999', 8)).toBe(10);
    expect(parse('-0.999999995', 8)).toBe(-1);
    expect(parse('99999999999.999999999', 8)).toBe(100000000000); // beyond 2^53: rounded as text
    const long = fc.stringMatching(/^\d{1,9}\.\d{9,14}$/);
    fc.assert(
      fc.property(long, (text) => {
        expect(parse(text, 8)).toBe(roundTo8(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(['', '-', '.', 'abc', '1.2.3', '1,5', 'NaN', 'Infinity', 'null', '1e', '1e+', '12a', '0x10', ' '])(
    'rejects %j as NaN',
    (text) => {
      expect(parse(text)).toBeNaN();
    },
  );
});

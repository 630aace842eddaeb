import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulDivRound } from '../../../src/model/money.js';
import { addPu, mulDivPu, negPu, notionalAmount, puAmount, subPu, toBigPu, type PuAmount } from '../../../src/model/puAmount.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** The one form a value may take: a number when safe, else a bigint. */
function expectCanonical(a: PuAmount, exact: bigint): void {
  if (exact >= -SAFE && exact <= SAFE) expect(a).toBe(Number(exact));
  else expect(a).toBe(exact);
}
// Amounts around ±2^53, where the double path must hand over to bigint, and small ones.
const amount = fc.oneof(
  fc.bigInt({ min: -(1n << 60n), max: 1n << 60n }),
  fc.bigInt({ min: SAFE - 1000n, max: SAFE + 1000n }),
  fc.bigInt({ min: -SAFE - 1000n, max: -SAFE + 1000n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
);
const canon = (b: bigint): PuAmount => (b >= -SAFE && b <= SAFE ? Number(b) : b);

describe('PuAmount', () => {
  it('adds, subtracts and negates exactly, in canonical form, on both sides of 2^53', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expectCanonical(addPu(canon(a), canon(b)), a + b);
        expectCanonical(subPu(canon(a), canon(b)), a - b);
        expectCanonical(negPu(canon(a)), -a);
        expect(toBigPu(canon(a))).toBe(a);
      }),
    );
    // The sum that first leaves the safe range, reached from two safe numbers.
    expect(addPu(Number.MAX_SAFE_INTEGER, 1)).toBe(SAFE + 1n);
    expect(subPu(-Number.MAX_SAFE_INTEGER, 2)).toBe(-SAFE - 2n);
    expect(subPu(SAFE + 1n, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('takes a pro-rata share exactly (mulDivRound) and the amount itself for the whole', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, x, y) => {
        const part = Math.min(x, y);
        const whole = Math.max(x, y);
        expectCanonical(mulDivPu(canon(a), part, whole), mulDivRound(a, BigInt(part), BigInt(whole)));
      }),
    );
  });

  it('makes notionals and fill amounts exactly, refusing fractions as BigInt does', () => {
    expect(notionalAmount(3, 3_002_399_751_580_331)).toBe(9_007_199_254_740_993n);
    expect(notionalAmount(-100, 12_345_678_901)).toBe(-1_234_567_890_100);
    expect(() => notionalAmount(0.5, 200)).toThrow(RangeError);
    expect(puAmount(2 ** 60)).toBe(1n << 60n);
    expect(() => puAmount(1.5)).toThrow(RangeError);
    expect(puAmount(-0)).toBe(0); // +0, as -0 converts to 0n
    expect(negPu(0)).toBe(0);
  });
});

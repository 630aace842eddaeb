// Exact money: every price inside the kernel is an integer number of price units (pu), 1 pu = 1e-8 of
// the currency, so comparisons and sums never meet binary rounding. Cash and P&L are kept as bigint pu.

export const PU_DECIMALS = 8;
export const PU_PER_UNIT = 100_000_000;
const PU_BIG = 100_000_000n;

/** Converts a decimal price (parsed from text with at most 8 decimals) to its exact integer pu. */
export function toPu(price: number): number {
  return Math.round(price * PU_PER_UNIT);
}

/** The float nearest to a pu amount, for display and float metrics. */
export function puToNumber(pu: number | bigint): number {
  if (typeof pu === 'bigint') {
    // Fast path: below 2^53 the conversion is exact and one division rounds once.
    const n = Number(pu);
    if (Number.isSafeInteger(n)) return n / PU_PER_UNIT;
    const whole = pu / PU_BIG;
    const frac = pu - whole * PU_BIG;
    return Number(whole) + Number(frac) / PU_PER_UNIT;
  }
  return pu / PU_PER_UNIT;
}

/** Exact decimal text of a pu amount, without trailing zeros: 99232650638000n → "992326.50638". */
export function formatPu(pu: bigint | number): string {
  const v = typeof pu === 'bigint' ? pu : BigInt(pu);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / PU_BIG;
  const frac = (abs % PU_BIG).toString().padStart(PU_DECIMALS, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** round(a × b / c) with ties to even, exactly, for c > 0. */
export function mulDivRound(a: bigint, b: bigint, c: bigint): bigint {
  if (b === c) return a;
  const n = a * b;
  let q = n / c;
  let r = n % c;
  if (r < 0n) {
    q -= 1n;
    r += c;
  }
  const twice = 2n * r;
  if (twice > c || (twice === c && q % 2n !== 0n)) q += 1n;
  return q;
}

/** round(a / q) to whole pu, ties to even, for q > 0: in doubles when a is below 2^53, else in bigint. */
export function divRoundPu(a: bigint | number, q: number): number {
  const n = typeof a === 'bigint' ? Number(a) : a;
  if (!Number.isSafeInteger(n)) return Number(mulDivRound(BigInt(a), 1n, BigInt(q)));
  const r = n % q; // exact for safe integers; has the sign of n
  const trunc = (n - r) / q;
  const twice = 2 * Math.abs(r);
  if (twice < q || (twice === q && trunc % 2 === 0)) return trunc;
  return n < 0 ? trunc - 1 : trunc + 1;
}

/** Notional of a fill in pu: quantity (whole lots) × price (pu), exact. */
export function notionalPu(quantity: number, pricePu: number): bigint {
  // Every fill pays this (twice: account and strategy book). The double product of two integers is exact when
  // it is a safe integer (a true product of 2^53 or more rounds to 2^53 or more, so it fails the test), and
  // one BigInt made from it allocates a third of what converting both factors and multiplying does. A
  // fractional factor still takes the bigint path, which throws as it always did.
  const n = quantity * pricePu;
  if (Number.isSafeInteger(n) && Number.isInteger(quantity) && Number.isInteger(pricePu)) return BigInt(n);
  return BigInt(quantity) * BigInt(pricePu);
}

/** Parses decimal text ("7.5", "-0.25") to an exact fraction num/10^scale; null when it is not a plain decimal. */
export function parseDecimal(text: string): { num: bigint; scale: number } | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = m[3] ?? '';
  const num = BigInt((m[2] || '0') + frac) * (m[1] === '-' ? -1n : 1n);
  return { num, scale: frac.length };
}

/** A percentage (5 = 5%) applied to an integer pu level: round(level × (1 + sign·pct/100)), exact. */
export function offsetByPercentPu(levelPu: number, percent: number, sign: 1 | -1): number {
  const d = parseDecimal(String(percent));
  if (!d) return Math.round(levelPu * (1 + (sign * percent) / 100));
  const den = 100n * 10n ** BigInt(d.scale);
  const factor = den + BigInt(sign) * d.num;
  return Number(mulDivRound(BigInt(levelPu), factor, den));
}

// Decimal text → double straight from bytes. An integer mantissa below 2^53 scaled once by an exactly
// representable power of ten (≤ 10^22) is one correctly rounded IEEE operation, so results equal parseFloat.

const POW10 = new Float64Array(23).map((_, k) => 10 ** k);
const MAX_EXACT_MANTISSA = 2 ** 53;
const MAX_EXACT_POW = 22;

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * Reusable parser; the decimal count of the last number is a field rather than a returned tuple so the
 * per-field hot path allocates nothing.
 */
export class DecimalParser {
  /** Fraction digits of the last number parsed, after capping to `maxDecimals`. */
  decimals = 0;
  /** Index after the last number read by `parsePrefix`. */
  stop = 0;
  private exponent = 0;

  /**
   * Parses `buf[start, end)` as `[+-]digits[.digits][(e|E)[+-]digits]`; NaN for anything else (empty,
   * "null", "NaN", "Infinity", stray characters). More than `maxDecimals` fraction digits are rounded
   * half away from zero on the decimal text, so a capped result is still exact.
   */
  parse(buf: Uint8Array, start: number, end: number, maxDecimals = Infinity): number {
    const value = this.parsePrefix(buf, start, end, maxDecimals);
    return this.stop === end ? value : NaN;
  }

  /**
   * Like `parse`, but stops at the first byte that cannot continue the number and leaves its index in
   * `stop`. Kept as one function although long: it is the innermost loop, run for every number field.
   */
  parsePrefix(buf: Uint8Array, start: number, end: number, maxDecimals = Infinity): number {
    let i = start;
    let negative = false;
    const first = i < end ? buf[i] : undefined;
    if (first === MINUS) {
      negative = true;
      i++;
    } else if (first === PLUS) i++;

    // Digit counts come from index differences: fewer live variables keep the loops tight.
    const integerStart = i;
    let mantissa = 0;
    let d = 0;
    while (i < end && (d = (buf[i] as number) - 48) >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      i++;
    }
    let digits = i - integerStart;
    let decimals = 0;
    let roundUp = false;
    if (i < end && buf[i] === DOT) {
      const fractionStart = ++i;
      const kept = end - fractionStart > maxDecimals ? fractionStart + maxDecimals : end;
      while (i < kept && (d = (buf[i] as number) - 48) >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        i++;
      }
      decimals = i - fractionStart;
      if (i === kept && i < end && (d = (buf[i] as number) - 48) >= 0 && d <= 9) {
        roundUp = d >= 5; // the first dropped digit decides
        while (i < end && (d = (buf[i] as number) - 48) >= 0 && d <= 9) i++;
      }
      digits += i - fractionStart;
    }
    if (digits === 0) {
      this.stop = i;
      return NaN;
    }

    let exponent = 0;
    if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
      i = this.parseExponent(buf, i + 1, end);
      if (i < 0) {
        this.stop = -1;
        return NaN;
      }
      exponent = this.exponent;
    }
    this.stop = i;
    if (roundUp) mantissa += 1;

    const scale = exponent - decimals;
    this.decimals = scale < 0 ? -scale : 0;
    if (mantissa < MAX_EXACT_MANTISSA && scale >= -MAX_EXACT_POW && scale <= MAX_EXACT_POW) {
      const magnitude = scale < 0 ? mantissa / (POW10[-scale] as number) : mantissa * (POW10[scale] as number);
      return negative ? -magnitude : magnitude;
    }
    return slowParse(buf, start, i, maxDecimals, roundUp);
  }

  /** Reads `[+-]digits` into `this.exponent`; returns the index after it, or -1 when malformed. */
  private parseExponent(buf: Uint8Array, from: number, end: number): number {
    let i = from;
    let negative = false;
    if (buf[i] === MINUS) {
      negative = true;
      i++;
    } else if (buf[i] === PLUS) i++;
    let value = 0;
    let c = 0;
    const digitsFrom = i;
    while (i < end && (c = (buf[i] as number) - 48) >= 0 && c <= 9) {
      // Clamped: anything this large over- or underflows anyway, and the slow path handles it.
      if (value < 100_000) value = value * 10 + c;
      i++;
    }
    if (i === digitsFrom) return -1;
    this.exponent = negative ? -value : value;
    return i;
  }
}

/**
 * Mantissas of 16+ significant digits or far exponents: rare in bar data, so defer to the engine's parser.
 * Capped text is rounded as text first, since rounding the parsed double could round differently.
 */
function slowParse(buf: Uint8Array, start: number, end: number, maxDecimals: number, roundUp: boolean): number {
  let mantissa = '';
  let exponent = '';
  let fractionDigits = -1; // -1 until the decimal point
  for (let i = start; i < end; i++) {
    const c = buf[i] as number;
    if (c === LOWER_E || c === UPPER_E) {
      for (let j = i; j < end; j++) exponent += String.fromCharCode(buf[j] as number);
      break;
    }
    if (c === DOT) fractionDigits = 0;
    else if (fractionDigits >= 0 && ++fractionDigits > maxDecimals) continue;
    mantissa += String.fromCharCode(c);
  }
  return parseFloat((roundUp ? incrementLastDigit(mantissa) : mantissa) + exponent);
}

/** '1.99' → '2.00', '-9.9' → '-10.0': adds one unit in the last place of a decimal text. */
function incrementLastDigit(text: string): string {
  const chars = text.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i];
    if (ch === '.') continue;
    if (ch === '-' || ch === '+') {
      chars.splice(i + 1, 0, '1');
      return chars.join('');
    }
    if (ch !== '9') {
      chars[i] = String.fromCharCode((ch ?? '0').charCodeAt(0) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

/** True when `buf[start, end)` is the text `null` in any case (Yahoo's marker for a missing value). */
export function isNullText(buf: Uint8Array, start: number, end: number): boolean {
  return (
    end - start === 4 &&
    ((buf[start] as number) | 32) === 110 &&
    ((buf[start + 1] as number) | 32) === 117 &&
    ((buf[start + 2] as number) | 32) === 108 &&
    ((buf[start + 3] as number) | 32) === 108
  );
}

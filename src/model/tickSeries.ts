// Columnar trades (ticks) of one symbol: time in epoch microseconds (exact in a float64 until the year
// 2255), price and size, and the optional quote and venue fields. Absent numbers are NaN, absent text null.

export interface TickSeries {
  readonly symbol: string;
  /** Decimal places seen in the source prices (at most 8): the instrument's tick. */
  readonly priceDecimals: number;
  readonly length: number;
  /** Epoch microseconds, UTC. */
  readonly tsUs: Float64Array;
  readonly price: Float64Array;
  readonly size: Float64Array;
  /** NaN when the source had no bid / ask for the trade. */
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly exchange: readonly (string | null)[];
  /** Trade condition codes as the source wrote them (e.g. "@ T I"). */
  readonly conditions: readonly (string | null)[];
}

export function allocateTicks(symbol: string, length: number, priceDecimals = 2): TickSeries & { exchange: (string | null)[]; conditions: (string | null)[] } {
  const f = (): Float64Array => new Float64Array(length);
  return {
    symbol,
    priceDecimals,
    length,
    tsUs: f(),
    price: f(),
    size: f(),
    bid: new Float64Array(length).fill(Number.NaN),
    ask: new Float64Array(length).fill(Number.NaN),
    exchange: new Array<string | null>(length).fill(null),
    conditions: new Array<string | null>(length).fill(null),
  };
}

/**
 * The position of each tick among the ticks of the same instant, in input order (0 for the first). Several
 * trades can print in one microsecond; (symbol, ts, seq) is their key, so re-importing a file is idempotent.
 */
export function tickSequence(t: TickSeries): Int32Array {
  const seq = new Int32Array(t.length);
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) sorted = (t.tsUs[i] as number) >= (t.tsUs[i - 1] as number);
  if (sorted) {
    for (let i = 1; i < t.length; i++) seq[i] = t.tsUs[i] === t.tsUs[i - 1] ? (seq[i - 1] as number) + 1 : 0;
    return seq;
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const ts = t.tsUs[i] as number;
    const n = seen.get(ts) ?? 0;
    seq[i] = n;
    seen.set(ts, n + 1);
  }
  return seq;
}

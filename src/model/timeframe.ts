// Timeframes ('1m', '5m', '1h', '1d', '1w', '1M'): parsing, durations and bucket boundaries in UTC.

export type TimeframeUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'M';

export interface TimeframeSpec {
  readonly text: string;
  readonly count: number;
  readonly unit: TimeframeUnit;
  /** Fixed length in ms; months are calendar buckets and use an approximate 30.44 days here. */
  readonly ms: number;
}

const UNIT_MS: Record<TimeframeUnit, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30.436875 * 86_400_000,
};

const DAY_MS = 86_400_000;
/** 1970-01-05 was a Monday: weeks start on Monday 00:00 UTC. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

/** Parses '5m' / '1h' / '1d' / '1w' / '1M'; returns null when the text is not a timeframe. */
export function parseTimeframe(text: string): TimeframeSpec | null {
  const m = /^(\d+)(s|m|h|d|w|M)$/.exec(text);
  if (!m) return null;
  const count = Number(m[1]);
  if (!Number.isSafeInteger(count) || count <= 0) return null;
  const unit = m[2] as TimeframeUnit;
  return { text, count, unit, ms: count * UNIT_MS[unit] };
}

/** True for daily and coarser timeframes, whose bars are keyed by trading date at 00:00 UTC. */
export function isDailyOrCoarser(tf: TimeframeSpec): boolean {
  return tf.unit === 'd' || tf.unit === 'w' || tf.unit === 'M';
}

/** Start of the bucket of `tf` that contains `ts` (UTC; weeks start on Monday, months on the 1st). */
export function bucketStart(tf: TimeframeSpec, ts: number): number {
  if (tf.unit === 'M') {
    const d = new Date(ts);
    const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const start = monthIndex - (monthIndex % tf.count);
    return Date.UTC(Math.floor(start / 12), start % 12, 1);
  }
  if (tf.unit === 'w') return ts - ((((ts - MONDAY_OFFSET_MS) % tf.ms) + tf.ms) % tf.ms);
  return ts - (((ts % tf.ms) + tf.ms) % tf.ms);
}

/** End (exclusive) of the bucket that starts at `start`. */
export function bucketEnd(tf: TimeframeSpec, start: number): number {
  if (tf.unit === 'M') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + tf.count, 1);
  }
  return start + tf.ms;
}

/** Periods per year for annualizing (METRICS.md): 252 daily, 52 weekly, 12 monthly, 252×bars/session intraday. */
export function periodsPerYear(tf: TimeframeSpec, sessionMinutes = 390, twentyFourSeven = false): number {
  switch (tf.unit) {
    case 'M':
      return 12 / tf.count;
    case 'w':
      return 52 / tf.count;
    case 'd':
      return (twentyFourSeven ? 365 : 252) / tf.count;
    default: {
      const barsPerDay = (twentyFourSeven ? 1440 : sessionMinutes) / (tf.ms / 60_000);
      return (twentyFourSeven ? 365 : 252) * barsPerDay;
    }
  }
}

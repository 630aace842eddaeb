// Gap detection: where a stored series lacks bars it should have. Daily bars expect every NYSE trading day
// (weekdays less the exchange's holidays, data/calendar/nyse.ts; calendar 'none': every weekday); weekly and
// monthly bars expect every bucket; intraday bars expect every interval within a UTC day, and the
// overnight break between sessions is not a gap.

import { Pi5Error } from '../core/errors.js';
import { bucketEnd, parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import type { Database } from './database.js';
import { BarStore } from './barStore.js';
import { isNyseHoliday } from '../data/calendar/nyse.js';

/** Which days a daily series should have: NYSE trading days, or every weekday. */
export type GapCalendar = 'nyse' | 'none';

export interface BarGap {
  /** Open time of the last bar before the gap, epoch ms. */
  readonly after: number;
  /** Open time of the first bar after the gap. */
  readonly before: number;
  /** Bars expected strictly between the two. */
  readonly missing: number;
}

const DAY_MS = 86_400_000;

function isWeekday(ts: number): boolean {
  const d = new Date(ts).getUTCDay();
  return d !== 0 && d !== 6;
}

/** Expected bars strictly between two present bars. */
export function expectedBetween(tf: TimeframeSpec, after: number, before: number, calendar: GapCalendar = 'nyse'): number {
  if (tf.unit === 'd' && tf.count === 1) {
    let n = 0;
    for (let t = after + DAY_MS; t < before; t += DAY_MS) if (isWeekday(t) && !(calendar === 'nyse' && isNyseHoliday(t))) n++;
    return n;
  }
  if (tf.unit === 'd' || tf.unit === 'w' || tf.unit === 'M') {
    let n = 0;
    for (let t = bucketEnd(tf, after); t < before; t = bucketEnd(tf, t)) n++;
    return n;
  }
  if (Math.floor(after / DAY_MS) !== Math.floor(before / DAY_MS)) return 0;
  return Math.max(0, Math.round((before - after) / tf.ms) - 1);
}

export async function findGaps(db: Database, symbol: string, timeframe: string, calendar: GapCalendar = 'nyse'): Promise<BarGap[]> {
  const tf = parseTimeframe(timeframe);
  if (tf === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(timeframe)} is not a timeframe`);
  const rows = db.barCatalog === undefined ? await sqlPairs(db, symbol, timeframe, tf) : await catalogPairs(db, symbol, timeframe, tf);
  const gaps: BarGap[] = [];
  for (const r of rows) {
    const missing = expectedBetween(tf, r.prev, r.t, calendar);
    if (missing > 0) gaps.push({ after: r.prev, before: r.t, missing });
  }
  return gaps;
}

/** Consecutive bars further apart than one bar: only those can hide a gap. */
const minSpan = (tf: TimeframeSpec): number => (tf.unit === 'M' ? 28 * DAY_MS : tf.ms);

async function catalogPairs(db: Database, symbol: string, timeframe: string, tf: TimeframeSpec): Promise<{ prev: number; t: number }[]> {
  const [s] = await new BarStore(db).read({ symbols: [symbol], timeframe });
  const out: { prev: number; t: number }[] = [];
  if (s === undefined) return out;
  for (let i = 1; i < s.length; i++) {
    const prev = s.ts[i - 1] as number;
    const t = s.ts[i] as number;
    if (t - prev > minSpan(tf)) out.push({ prev, t });
  }
  return out;
}

async function sqlPairs(db: Database, symbol: string, timeframe: string, tf: TimeframeSpec): Promise<{ prev: number; t: number }[]> {
  return db.query<{ prev: number; t: number }>(
    `select prev, t from (
       select (extract(epoch from ts) * 1000)::float8 as t,
              (extract(epoch from lag(ts) over (order by ts)) * 1000)::float8 as prev
       from bars where symbol = $1 and timeframe = $2) x
     where prev is not null and t - prev > $3 order by t`,
    [symbol, timeframe, minSpan(tf)],
  );
}

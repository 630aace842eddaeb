// Alpha Vantage series → raw BarSeries and corporate actions. Its OHLC and volume are as traded in every
// series we ask for (adjusted=false for intraday; the adjusted daily/weekly series only add an adjusted close),
// dividends and split coefficients come per row. Daily keys are trading dates; intraday keys are US/Eastern
// wall-clock times of the bar's open, converted here to UTC (docs/providers.md, "Alpha Vantage").

import { Pi5Error } from '../../../core/errors.js';
import { zoneOffsetMs } from '../../../core/tz.js';
import { allocateSeries, truncateSeries } from '../../../model/barSeries.js';
import { bucketStart, isDailyOrCoarser, type TimeframeSpec } from '../../../model/timeframe.js';
import type { CorporateAction, HistoricalBarRequest, HistoricalBars } from '../types.js';
import { metaField, type AvRow, type AvSeries } from './schema.js';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface AvMapOptions {
  readonly label: string;
  readonly request: HistoricalBarRequest;
  readonly timeframe: TimeframeSpec;
  readonly seriesKey: string;
  /** Currency of dividends: the series do not say; 'USD' unless configured. */
  readonly currency: string;
}

function payloadError(o: AvMapOptions, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${o.label}: ${message}`);
}

/** Epoch ms of wall-clock time `wallMs` (as if UTC) in `zone`; two passes settle the offset across DST. */
export function wallToUtc(wallMs: number, zone: string): number {
  const first = wallMs - zoneOffsetMs(wallMs, zone);
  return wallMs - zoneOffsetMs(first, zone);
}

/** The instant a row's key stands for: a date at 00:00 UTC, or an intraday local time converted to UTC. */
export function keyInstant(key: string, zone: string | undefined): number | undefined {
  const d = DATE.exec(key);
  if (d !== null) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
  const t = DATE_TIME.exec(key);
  if (t === null || zone === undefined) return undefined;
  const wall = Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6] ?? 0));
  return wallToUtc(wall, zone);
}

/** Decimal places of a price string once trailing zeros are dropped ("143.9400" → 2). */
function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  return text.slice(dot + 1).replace(/0+$/, '').length;
}

/** A split coefficient (4, 0.5, 1.5) as new:old shares with the smallest denominator up to 1000. */
export function splitRatio(coefficient: number): { numerator: number; denominator: number } | undefined {
  if (!(coefficient > 0)) return undefined;
  for (let den = 1; den <= 1000; den++) {
    const num = Math.round(coefficient * den);
    if (num > 0 && Math.abs(num / den - coefficient) < 1e-9 * Math.max(1, coefficient)) return { numerator: num, denominator: den };
  }
  return undefined;
}

interface Row {
  readonly ts: number;
  readonly day: number;
  readonly key: string;
  readonly row: AvRow;
}

/** Rows with their bar times, oldest first, restricted to the request's inclusive range. */
function rowsInRange(series: AvSeries, o: AvMapOptions, daily: boolean, zone: string | undefined): Row[] {
  const out: Row[] = [];
  for (const [key, row] of series.rows) {
    const instant = keyInstant(key, zone);
    if (instant === undefined) {
      const why = daily ? 'is not a YYYY-MM-DD date' : zone === undefined ? 'cannot be placed: Meta Data has no Time Zone' : 'is not a YYYY-MM-DD HH:MM:SS time';
      throw payloadError(o, `${o.seriesKey}[${JSON.stringify(key)}] ${why}`);
    }
    const ts = daily ? bucketStart(o.timeframe, instant) : instant;
    if (ts < o.request.from || ts > o.request.to) continue;
    out.push({ ts, day: Math.floor(instant / DAY_MS) * DAY_MS, key, row });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

export function mapSeries(series: AvSeries, o: AvMapOptions): HistoricalBars {
  const daily = isDailyOrCoarser(o.timeframe);
  const zone = metaField(series.meta, 'Time Zone');
  const rows = rowsInRange(series, o, daily, zone);
  let decimals = 2;
  for (const { row } of rows) for (const f of ['1. open', '2. high', '3. low', '4. close'] as const) decimals = Math.max(decimals, decimalsOf(row[f]));
  const s = allocateSeries(o.request.symbol, o.timeframe.text, rows.length, Math.min(8, decimals));
  let len = 0;
  for (const { ts, key, row } of rows) {
    const prev = len > 0 ? (s.ts[len - 1] as number) : -Infinity;
    // Two keys landing in one bucket (a weekly key moved to its Monday twice) would be a payload fault.
    if (ts === prev) throw payloadError(o, `${o.seriesKey}[${JSON.stringify(key)}] falls on the same bar as the row before it`);
    const volume = '5. volume' in row ? row['5. volume'] : row['6. volume'];
    s.ts[len] = ts;
    s.open[len] = Number(row['1. open']);
    s.high[len] = Number(row['2. high']);
    s.low[len] = Number(row['3. low']);
    s.close[len] = Number(row['4. close']);
    s.volume[len] = Number(volume);
    len++;
  }
  return { series: truncateSeries(s, len), corporateActions: actions(rows, o), skippedRows: 0 };
}

/**
 * Dividends and splits from the adjusted series. Daily rows give the ex-date; weekly and monthly rows only
 * the period, so their dividends are keyed by the period's last trading day (the row's key).
 */
function actions(rows: readonly Row[], o: AvMapOptions): CorporateAction[] {
  const symbol = o.request.symbol;
  const out: CorporateAction[] = [];
  for (const { day, key, row } of rows) {
    if ('7. dividend amount' in row) {
      const amount = Number(row['7. dividend amount']);
      if (amount > 0) out.push({ kind: 'dividend', symbol, ts: day, amount, currency: o.currency });
    }
    if ('8. split coefficient' in row) {
      const coefficient = Number(row['8. split coefficient']);
      if (coefficient === 1) continue;
      const ratio = splitRatio(coefficient);
      if (ratio === undefined) throw payloadError(o, `${o.seriesKey}[${JSON.stringify(key)}]["8. split coefficient"] is not a usable ratio (got ${JSON.stringify(row['8. split coefficient'])})`);
      out.push({ kind: 'split', symbol, ts: day, ...ratio });
    }
  }
  return out.sort((a, b) => a.ts - b.ts || a.kind.localeCompare(b.kind));
}

// zod schemas of Alpha Vantage's TIME_SERIES_* JSON (numbers arrive as decimal strings under numbered keys,
// "1. open", "8. split coefficient"), and a zod issue turned into a message naming the field and its value.

import { z } from 'zod';
import { describePayloadIssue } from '../payloadIssue.js';

/** Alpha Vantage writes every number as a plain decimal string: "646.36", "14604944", "0.0000". */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimal = z.string().regex(DECIMAL, 'is not a decimal number');

const ohlc = {
  '1. open': decimal,
  '2. high': decimal,
  '3. low': decimal,
  '4. close': decimal,
};

/** TIME_SERIES_DAILY, _WEEKLY, _MONTHLY and _INTRADAY rows. */
export const plainRowSchema = z.object({ ...ohlc, '5. volume': decimal });

/** TIME_SERIES_WEEKLY_ADJUSTED and _MONTHLY_ADJUSTED rows: a period's dividends, but no split coefficient. */
export const periodAdjustedRowSchema = z.object({
  ...ohlc,
  '5. adjusted close': decimal,
  '6. volume': decimal,
  '7. dividend amount': decimal,
});

/** TIME_SERIES_DAILY_ADJUSTED rows: raw OHLC and volume, plus the day's dividend and split coefficient. */
export const dailyAdjustedRowSchema = periodAdjustedRowSchema.extend({ '8. split coefficient': decimal });

export type AvRow = z.infer<typeof plainRowSchema> | z.infer<typeof periodAdjustedRowSchema> | z.infer<typeof dailyAdjustedRowSchema>;

/** "Meta Data" numbering differs per function ("5. Time Zone" daily, "6. Time Zone" intraday). */
const metaSchema = z.record(z.string(), z.string());

export interface AvSeries {
  readonly meta: Readonly<Record<string, string>>;
  /** Date or date-time key ("2024-03-08", "2024-03-08 09:30:00") → row, in the payload's order (newest first). */
  readonly rows: ReadonlyArray<readonly [string, AvRow]>;
}

/**
 * Validates "Meta Data" and the series under `seriesKey`; the first problem comes back as a message naming
 * the field (`Time Series (Daily)["2024-03-08"]["4. close"] is not a decimal number (got "abc")`).
 */
export function parseSeries(payload: unknown, seriesKey: string, row: z.ZodType<AvRow>): AvSeries | string {
  // Two schemas rather than one with a computed key, so each keeps its precise type.
  const meta = z.object({ 'Meta Data': metaSchema }).safeParse(payload);
  if (!meta.success) return firstIssue(meta.error, payload);
  const series = z.object({ [seriesKey]: z.record(z.string(), row) }).safeParse(payload);
  if (!series.success) return firstIssue(series.error, payload);
  const rows: Record<string, AvRow> = series.data[seriesKey] ?? {};
  return { meta: meta.data['Meta Data'], rows: Object.entries(rows) };
}

function firstIssue(error: z.ZodError, payload: unknown): string {
  const issue = error.issues[0];
  return issue === undefined ? 'payload does not match the time series schema' : describeIssue(issue, payload);
}

/** The keys of Alpha Vantage's non-data answers, which arrive with HTTP 200. */
export const noticeSchema = z.union([
  z.object({ 'Error Message': z.string() }),
  z.object({ Note: z.string() }),
  z.object({ Information: z.string() }),
]);
export type AvNotice = z.infer<typeof noticeSchema>;

/** The value of the meta field whose name ends in `name` ("Time Zone" matches "6. Time Zone"). */
export function metaField(meta: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(meta)) if (k.replace(/^\d+\.\s*/, '') === name) return v;
  return undefined;
}

/** `['Time Series (Daily)', '2024-03-08', '4. close']` → `Time Series (Daily)["2024-03-08"]["4. close"]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(payload)';
  const [head, ...rest] = path;
  return `${String(head)}${rest.map((p) => `[${JSON.stringify(typeof p === 'symbol' ? String(p) : p)}]`).join('')}`;
}

/** One line for a zod issue: the field, what is wrong and the value we got. */
export function describeIssue(issue: z.core.$ZodIssue, payload: unknown): string {
  return describePayloadIssue(issue, payload, fieldPath(issue.path));
}

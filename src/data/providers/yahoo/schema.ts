// zod schema of Yahoo's v8 chart payload (only the fields we use; others pass through unchecked) and the
// translation of a zod issue into a message naming the field: `indicators.quote[0].close[17] is not a number`.

import { z } from 'zod';
import { describePayloadIssue } from '../payloadIssue.js';

const nullableNumbers = z.array(z.number().nullable());

const quoteSchema = z.object({
  open: nullableNumbers.optional(),
  high: nullableNumbers.optional(),
  low: nullableNumbers.optional(),
  close: nullableNumbers.optional(),
  volume: nullableNumbers.optional(),
});

const dividendSchema = z.object({ amount: z.number(), date: z.number() });
const splitSchema = z.object({ date: z.number(), numerator: z.number().positive(), denominator: z.number().positive() });

export const chartResultSchema = z.object({
  meta: z.object({
    symbol: z.string(),
    currency: z.string().nullable().optional(),
    exchangeTimezoneName: z.string().optional(),
    gmtoffset: z.number().optional(),
    priceHint: z.number().int().min(0).optional(),
    /** The last price and its time (epoch s): what the live quote feed reads. */
    regularMarketPrice: z.number().optional(),
    regularMarketTime: z.number().optional(),
  }),
  /** Absent when the range holds no bars. */
  timestamp: z.array(z.number()).optional(),
  indicators: z.object({
    quote: z.array(quoteSchema).min(1),
    adjclose: z.array(z.object({ adjclose: nullableNumbers.optional() })).optional(),
  }),
  events: z
    .object({
      dividends: z.record(z.string(), dividendSchema).optional(),
      splits: z.record(z.string(), splitSchema).optional(),
    })
    .optional(),
});

const chartErrorSchema = z.object({ code: z.string(), description: z.string().nullable().optional() });

export const chartPayloadSchema = z.object({
  chart: z.object({
    result: z.array(chartResultSchema).nullable(),
    error: chartErrorSchema.nullable().optional(),
  }),
});

export type ChartResult = z.infer<typeof chartResultSchema>;
export type ChartError = z.infer<typeof chartErrorSchema>;
export type ChartPayload = z.infer<typeof chartPayloadSchema>;

/** `['indicators', 'quote', 0, 'close', 17]` → `indicators.quote[0].close[17]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(payload)' : out;
}

/** One line per the first issue: the field (relative to chart.result[0] when inside it) and what is wrong. */
export function describeIssue(issue: z.core.$ZodIssue, payload: unknown): string {
  const full = issue.path;
  const inResult = full[0] === 'chart' && full[1] === 'result' && full[2] === 0;
  return describePayloadIssue(issue, payload, fieldPath(inResult ? full.slice(3) : full));
}

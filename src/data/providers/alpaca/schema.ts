// zod schemas of Alpaca's market data wire formats (historical bars over HTTP, the v2 stock stream over
// WebSocket; only the fields we use are checked) and issue → message translation naming the field.

import { z } from 'zod';
import { describePayloadIssue } from '../payloadIssue.js';

/** RFC 3339 as Alpaca sends it: UTC 'Z' or an offset, optional fraction up to nanoseconds. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const rfc3339 = z.string().regex(RFC3339, 'is not an RFC 3339 time');

/** Epoch ms of an RFC 3339 text the schema accepted; the fraction is cut to ms (Date.parse is lenient). */
export function rfc3339Ms(text: string): number {
  const m = RFC3339.exec(text);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Math.floor(Number(((frac ?? '.0').slice(1) + '00').slice(0, 3)));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return t;
}

export const restBarSchema = z.object({
  t: rfc3339,
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number().nonnegative(),
  n: z.number().optional(),
  vw: z.number().optional(),
});

/** GET /v2/stocks/{symbol}/bars. `bars` is null (not []) when the range holds none. */
export const barsPageSchema = z.object({
  bars: z.array(restBarSchema).nullable(),
  symbol: z.string().optional(),
  next_page_token: z.string().nullable().optional(),
});

/** Error bodies: `{"message":"forbidden"}`, `{"code":42210000,"message":"invalid timeframe"}`. */
export const restErrorSchema = z.object({ message: z.string(), code: z.number().optional() });

export type RestBar = z.infer<typeof restBarSchema>;
export type BarsPage = z.infer<typeof barsPageSchema>;

// ---- stream (wss://stream.data.alpaca.markets/v2/{feed}); every frame is an array of these

export const streamBarSchema = z.object({ T: z.literal('b'), S: z.string(), o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number().nonnegative(), t: rfc3339, n: z.number().optional(), vw: z.number().optional() });
/** 'u': a minute bar sent again after late trades changed it (the updatedBars channel); 'd': the day's running bar (dailyBars). */
export const streamUpdatedBarSchema = streamBarSchema.extend({ T: z.literal('u') });
export const streamDailyBarSchema = streamBarSchema.extend({ T: z.literal('d') });
export const streamQuoteSchema = z.object({ T: z.literal('q'), S: z.string(), bx: z.string().optional(), bp: z.number(), bs: z.number(), ax: z.string().optional(), ap: z.number(), as: z.number(), t: rfc3339, c: z.array(z.string()).optional(), z: z.string().optional() });
export const streamTradeSchema = z.object({ T: z.literal('t'), S: z.string(), i: z.union([z.number(), z.string()]).optional(), x: z.string().optional(), p: z.number(), s: z.number(), t: rfc3339, c: z.array(z.string()).optional(), z: z.string().optional() });
export const streamSuccessSchema = z.object({ T: z.literal('success'), msg: z.string() });
export const streamErrorSchema = z.object({ T: z.literal('error'), code: z.number(), msg: z.string() });
const symbols = z.array(z.string()).optional();
export const streamSubscriptionSchema = z.object({ T: z.literal('subscription'), trades: symbols, quotes: symbols, bars: symbols, updatedBars: symbols, dailyBars: symbols });

export type StreamBar = z.infer<typeof streamBarSchema> | z.infer<typeof streamUpdatedBarSchema> | z.infer<typeof streamDailyBarSchema>;
export type StreamQuote = z.infer<typeof streamQuoteSchema>;
export type StreamTrade = z.infer<typeof streamTradeSchema>;
export type StreamControl = z.infer<typeof streamSuccessSchema> | z.infer<typeof streamErrorSchema> | z.infer<typeof streamSubscriptionSchema>;

/** Schemas by message type; other types (corrections 'c', cancels 'x', statuses 's', LULDs 'l', ...) are ignored. */
export const STREAM_SCHEMAS = {
  b: streamBarSchema,
  u: streamUpdatedBarSchema,
  d: streamDailyBarSchema,
  q: streamQuoteSchema,
  t: streamTradeSchema,
  success: streamSuccessSchema,
  error: streamErrorSchema,
  subscription: streamSubscriptionSchema,
} as const;

/** `['bars', 1, 'c']` → `bars[1].c`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(payload)' : out;
}

/** `bars[1].c is not a number (got "abc")`; `prefix` is prepended to the path (`[0].` for a frame's element). */
export function describeIssue(issue: z.core.$ZodIssue, payload: unknown, prefix: readonly PropertyKey[] = []): string {
  return describePayloadIssue(issue, payload, fieldPath([...prefix, ...issue.path]));
}

// Quotes as stored in the cache: JSON, checked on read because another app version may share the Redis.

import { z } from 'zod';
import type { Quote } from '../model/types.js';

const quoteSchema = z.object({
  symbol: z.string().min(1),
  ts: z.number(),
  bid: z.number(),
  ask: z.number(),
  bidSize: z.number(),
  askSize: z.number(),
});

export function encodeQuote(q: Quote): string {
  return JSON.stringify({ symbol: q.symbol, ts: q.ts, bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize });
}

/** The quote in text, or undefined when text is not a valid stored quote. */
export function decodeQuote(text: string): Quote | undefined {
  try {
    const r = quoteSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

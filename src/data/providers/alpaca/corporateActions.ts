// Alpaca's corporate actions (GET /v1/corporate-actions, market data API): the query, the wire format of the
// kinds we store (forward and reverse splits, cash dividends; only the fields we use are checked) and their
// mapping to our CorporateAction, keyed by ex-date at 00:00 UTC like every provider's (DESIGN.md §8).

import { z } from 'zod';
import type { CorporateAction } from '../types.js';

/** The types asked for: what adjustSeries applies. Stock dividends, spin-offs and mergers are not read. */
export const ACTION_TYPES = 'forward_split,reverse_split,cash_dividend';
/** Alpaca's maximum page size for this endpoint. */
export const ACTIONS_PAGE_LIMIT = 1000;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a YYYY-MM-DD date');
/** new_rate shares for every old_rate: 4:1 forward → new 4, old 1; 1:10 reverse → new 1, old 10. */
const splitSchema = z.object({ symbol: z.string(), new_rate: z.number().positive(), old_rate: z.number().positive(), ex_date: isoDate });
const cashDividendSchema = z.object({ symbol: z.string(), rate: z.number().nonnegative(), ex_date: isoDate });

/** Kinds with no action in the range are left out of `corporate_actions` (or come as empty arrays). */
export const actionsPageSchema = z.object({
  corporate_actions: z.object({
    forward_splits: z.array(splitSchema).optional(),
    reverse_splits: z.array(splitSchema).optional(),
    cash_dividends: z.array(cashDividendSchema).optional(),
  }),
  next_page_token: z.string().nullable().optional(),
});

export type ActionsPage = z.infer<typeof actionsPageSchema>;

export interface ActionsQuery {
  readonly symbol: string;
  /** Inclusive ex-date bounds, epoch ms (only the UTC date is sent). */
  readonly start: number;
  readonly end: number;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function actionsUrl(baseUrl: string, q: ActionsQuery, pageToken?: string): string {
  const params = new URLSearchParams({ symbols: q.symbol, types: ACTION_TYPES, start: day(q.start), end: day(q.end), limit: String(ACTIONS_PAGE_LIMIT) });
  if (pageToken !== undefined) params.set('page_token', pageToken);
  return `${baseUrl}/v1/corporate-actions?${params.toString()}`;
}

/** A page's actions of `symbol` as ours, oldest ex-date first (a split before a dividend on the same day). */
export function mapActions(page: ActionsPage, symbol: string): CorporateAction[] {
  const ts = (d: string): number => Date.parse(`${d}T00:00:00Z`);
  const a = page.corporate_actions;
  const splits = [...(a.forward_splits ?? []), ...(a.reverse_splits ?? [])]
    .filter((s) => s.symbol === symbol)
    .map((s): CorporateAction => ({ kind: 'split', symbol, ts: ts(s.ex_date), numerator: s.new_rate, denominator: s.old_rate }));
  // Alpaca's equities are US listings quoted in dollars; `rate` is the cash per share.
  const dividends = (a.cash_dividends ?? [])
    .filter((d) => d.symbol === symbol)
    .map((d): CorporateAction => ({ kind: 'dividend', symbol, ts: ts(d.ex_date), amount: d.rate, currency: 'USD' }));
  return [...splits, ...dividends].sort((x, y) => x.ts - y.ts || (x.kind === y.kind ? 0 : x.kind === 'split' ? -1 : 1));
}

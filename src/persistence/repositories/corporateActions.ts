// Splits and dividends in the corporate_actions table: an idempotent upsert (a re-fetch of the same actions
// writes nothing) that runs inside the caller's transaction, and the list of a symbol's actions by ex-date.

import { Pi5Error } from '../../core/errors.js';
import type { CorporateAction } from '../../data/providers/types.js';
import type { Database, Queryable } from '../database.js';

/** An action as stored: which provider reported it last. */
export type StoredCorporateAction = CorporateAction & { readonly source: string };

interface ActionRow {
  symbol: string;
  kind: string;
  ex_date: string;
  numerator: number | null;
  denominator: number | null;
  amount: number | null;
  currency: string | null;
  source: string;
}

const DAY_MS = 86_400_000;

/** Ex-dates are kept at 00:00 UTC (DESIGN.md §8); anything else would silently move to another day. */
function exDate(a: CorporateAction): string {
  if (!Number.isFinite(a.ts) || a.ts % DAY_MS !== 0) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `corporate action ${a.kind} ${a.symbol}: ex-date ${String(a.ts)} is not a date at 00:00 UTC`, { symbol: a.symbol, ts: a.ts });
  }
  return new Date(a.ts).toISOString().slice(0, 10);
}

function fromRow(r: ActionRow): StoredCorporateAction {
  const ts = Date.parse(`${r.ex_date}T00:00:00Z`);
  if (r.kind === 'split') return { kind: 'split', symbol: r.symbol, ts, numerator: Number(r.numerator), denominator: Number(r.denominator), source: r.source };
  return { kind: 'dividend', symbol: r.symbol, ts, amount: Number(r.amount), currency: r.currency ?? '', source: r.source };
}

export class CorporateActionRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Inserts new actions and updates changed ones (same symbol, kind and ex-date); returns how many rows were
   * written. Unchanged rows are not touched, so a repeated fetch reports 0.
   */
  async upsert(actions: readonly CorporateAction[], source: string): Promise<number> {
    let written = 0;
    for (const a of actions) {
      const split = a.kind === 'split';
      const rows = await this.db.query(
        `insert into corporate_actions (symbol, kind, ex_date, numerator, denominator, amount, currency, source)
         values ($1, $2, $3::date, $4, $5, $6, $7, $8)
         on conflict (symbol, kind, ex_date) do update set numerator = excluded.numerator, denominator = excluded.denominator,
           amount = excluded.amount, currency = excluded.currency, source = excluded.source, updated_at = now()
         where (corporate_actions.numerator, corporate_actions.denominator, corporate_actions.amount, corporate_actions.currency, corporate_actions.source)
           is distinct from (excluded.numerator, excluded.denominator, excluded.amount, excluded.currency, excluded.source)
         returning symbol`,
        [a.symbol, a.kind, exDate(a), split ? a.numerator : null, split ? a.denominator : null, split ? null : a.amount, split ? null : a.currency, source],
      );
      written += rows.length;
    }
    return written;
  }

  /** A symbol's actions, oldest ex-date first (a split before a dividend on the same day). */
  async list(symbol: string, range: { from?: number; to?: number } = {}): Promise<StoredCorporateAction[]> {
    const rows = await this.db.query<ActionRow>(
      `select symbol, kind, to_char(ex_date, 'YYYY-MM-DD') as ex_date, numerator, denominator, amount, currency, source
       from corporate_actions
       where symbol = $1 and ex_date >= coalesce($2::date, '-infinity'::date) and ex_date <= coalesce($3::date, 'infinity'::date)
       order by ex_date, kind desc`,
      [symbol, range.from === undefined ? null : dateOf(range.from), range.to === undefined ? null : dateOf(range.to)],
    );
    return rows.map(fromRow);
  }
}

function dateOf(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * `db` with `after(tx)` run inside every transaction it opens, before the commit. Lets a writer that owns its
 * transaction (BarStore.ingest) commit other rows with it — bars and their corporate actions land together
 * or not at all — without that writer knowing about them.
 */
export function withinSameTransaction(db: Database, after: (tx: Queryable) => Promise<void>): Database {
  return {
    engine: db.engine,
    hasTimescale: db.hasTimescale,
    query: <T extends object>(sql: string, params?: readonly unknown[]) => db.query<T>(sql, params),
    exec: (sql) => db.exec(sql),
    copyFrom: (sql, chunks) => db.copyFrom(sql, chunks),
    copyTo: (sql, onChunk) => db.copyTo(sql, onChunk),
    close: () => db.close(),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      db.transaction(async (tx) => {
        const result = await fn(tx);
        await after(tx);
        return result;
      }),
  };
}

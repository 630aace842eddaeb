// A trading session's records as storage holds them, for `pi5 orders|positions|account --store` when no node
// runs: orders as written at each step, positions summed from the stored fills, the latest account snapshot.

import type { Database } from '../database.js';

export interface StoredOrderRow {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly type: string;
  readonly tif: string;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly status: string;
  readonly filledQuantity: number;
  readonly avgFillPrice: number;
  readonly strategyId: string | null;
  readonly createdAt: number;
}

export interface StoredPositionRow {
  readonly symbol: string;
  /** Signed: short < 0. */
  readonly quantity: number;
  /** Average cost of the open quantity. */
  readonly avgPrice: number;
  readonly realizedPnl: number;
}

export interface StoredAccountRow {
  readonly ts: number;
  readonly cash: number;
  readonly equity: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

const OPEN_STATUSES = ['new', 'submitted', 'accepted', 'partially_filled'];
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class SessionRecordsRepository {
  constructor(private readonly db: Database) {}

  async sessionExists(sessionId: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>('select id from paper_sessions where id = $1', [sessionId]);
    return rows.length > 0;
  }

  /** Newest first. */
  async orders(sessionId: string, filter: { open?: boolean; symbol?: string; limit: number }): Promise<StoredOrderRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `select client_order_id, symbol, side, quantity, type, time_in_force, limit_price, stop_price, status, filled_quantity, avg_fill_price,
         strategy_name, (extract(epoch from created_at) * 1000)::float8 as created_ms
       from orders where session_id = $1 and ($2::text is null or symbol = $2) and (not $3::boolean or status = any($4::text[]))
       order by order_no desc limit $5`,
      [sessionId, filter.symbol ?? null, filter.open === true, OPEN_STATUSES, filter.limit],
    );
    return rows.map((r) => ({
      clientOrderId: String(r.client_order_id),
      symbol: String(r.symbol),
      side: String(r.side),
      quantity: num(r.quantity),
      type: String(r.type),
      tif: String(r.time_in_force),
      limitPrice: numOrNull(r.limit_price),
      stopPrice: numOrNull(r.stop_price),
      status: String(r.status),
      filledQuantity: num(r.filled_quantity),
      avgFillPrice: num(r.avg_fill_price),
      strategyId: r.strategy_name === null ? null : String(r.strategy_name),
      createdAt: num(r.created_ms),
    }));
  }

  /** Open positions from the fills, in time order: average cost of what is open, P&L of what was closed. */
  async positions(sessionId: string): Promise<StoredPositionRow[]> {
    const fills = await this.db.query<{ symbol: string; side: string; quantity: unknown; price: unknown }>(
      'select symbol, side, quantity, price from fills where session_id = $1 order by ts, id',
      [sessionId],
    );
    const book = new Map<string, { qty: number; avg: number; realized: number }>();
    for (const f of fills) {
      const p = book.get(f.symbol) ?? { qty: 0, avg: 0, realized: 0 };
      const q = (f.side === 'buy' ? 1 : -1) * num(f.quantity);
      const price = num(f.price);
      if (p.qty === 0 || Math.sign(p.qty) === Math.sign(q)) {
        p.avg = (p.avg * Math.abs(p.qty) + price * Math.abs(q)) / (Math.abs(p.qty) + Math.abs(q));
        p.qty += q;
      } else {
        const closed = Math.min(Math.abs(q), Math.abs(p.qty));
        p.realized += closed * (price - p.avg) * Math.sign(p.qty);
        const left = p.qty + q;
        // A fill that crosses zero opens the other side at its own price.
        if (Math.sign(left) !== Math.sign(p.qty) && left !== 0) p.avg = price;
        p.qty = left;
        if (p.qty === 0) p.avg = 0;
      }
      book.set(f.symbol, p);
    }
    return [...book.entries()]
      .filter(([, p]) => p.qty !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([symbol, p]) => ({ symbol, quantity: p.qty, avgPrice: p.avg, realizedPnl: p.realized }));
  }

  async account(sessionId: string): Promise<StoredAccountRow | null> {
    const [r] = await this.db.query<Record<string, unknown>>(
      `select (extract(epoch from ts) * 1000)::float8 as ts_ms, cash, equity, realized_pnl, unrealized_pnl
       from account_snapshots where account = $1 order by ts desc limit 1`,
      [sessionId],
    );
    return r === undefined ? null : { ts: num(r.ts_ms), cash: num(r.cash), equity: num(r.equity), realizedPnl: num(r.realized_pnl), unrealizedPnl: num(r.unrealized_pnl) };
  }
}

// Trading sessions in the database (PostgreSQL or PGlite; the table keeps its first name, paper_sessions, so stored
// sessions reopen): each write — a live step's bars (into the bar store),
// the step's orders (upserted by client order id), fills, recorded actions, an account snapshot and the
// session's last step — commits as one transaction, so storage always holds a state the session passed through at a step boundary.

import { Pi5Error } from '../../core/errors.js';
import type { Fill, Order } from '../../model/types.js';
import type { TradingSessionStore, RecordedAction, SessionWrite, StoredSession } from '../../engine/live/sessionStore.js';
import type { SessionAction } from '../../engine/live/sessionActions.js';
import { upsertBars } from '../barIngest.js';
import type { Database, Queryable } from '../database.js';

const PU = 1e8;

interface SessionRow {
  config: unknown;
  last_step: number;
  last_step_ts: number | null;
}

function ms(ts: number): string {
  return new Date(ts).toISOString();
}

async function upsertOrder(tx: Queryable, sessionId: string, o: Order): Promise<void> {
  await tx.query(
    `insert into orders (client_order_id, broker_order_id, session_id, order_no, parent_order_no, strategy_name, symbol, side, quantity, type,
       time_in_force, limit_price, stop_price, trail_amount, trail_percent, oco_group, role, tag, status, filled_quantity, avg_fill_price,
       reject_reason, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
     on conflict (client_order_id) do update set broker_order_id = excluded.broker_order_id, status = excluded.status,
       filled_quantity = excluded.filled_quantity, avg_fill_price = excluded.avg_fill_price, reject_reason = excluded.reject_reason,
       updated_at = excluded.updated_at`,
    [
      o.clientOrderId, o.brokerOrderId, sessionId, o.id, o.parentId, o.strategyId, o.symbol, o.side, o.quantity, o.type,
      o.tif, o.limitPrice, o.stopPrice, o.trailAmount, o.trailPercent, o.ocoGroup, o.role, o.tag, o.status, o.filledQuantity, o.avgFillPrice,
      o.rejectReason, ms(o.createdAt), ms(o.updatedAt),
    ],
  );
}

// Every row of a write is keyed so that writing it again changes nothing: a write whose COMMIT landed but whose
// answer was lost (the connection died) is retried whole with what came after it.
async function insertFill(tx: Queryable, sessionId: string, f: Fill, fillNo: number): Promise<void> {
  await tx.query(
    `insert into fills (client_order_id, ts, price, quantity, commission, liquidity, session_id, symbol, side, strategy_name, fill_no)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (session_id, fill_no) where fill_no is not null do nothing`,
    [f.clientOrderId, ms(f.ts), f.pricePu / PU, f.quantity, f.commissionPu / PU, f.liquidity, sessionId, f.symbol, f.side, f.strategyId, fillNo],
  );
}

export class TradingSessionRepository implements TradingSessionStore {
  constructor(private readonly db: Database) {}

  async load(sessionId: string): Promise<StoredSession | null> {
    const [row] = await this.db.query<SessionRow>(`select config, last_step, (extract(epoch from last_step_ts) * 1000)::float8 as last_step_ts from paper_sessions where id = $1`, [sessionId]);
    if (!row) return null;
    const actions = await this.db.query<{ seq: number; after_step: number; action: SessionAction }>(
      'select seq, after_step, action from paper_session_actions where session_id = $1 order by seq',
      [sessionId],
    );
    const orders = await this.db.query<{ client_order_id: string; symbol: string; side: string; quantity: number; status: string }>(
      'select client_order_id, symbol, side, quantity, status from orders where session_id = $1',
      [sessionId],
    );
    return {
      id: sessionId,
      config: row.config,
      lastStep: Number(row.last_step),
      lastStepTs: row.last_step_ts === null ? null : Number(row.last_step_ts),
      actions: actions.map((a): RecordedAction => ({ seq: Number(a.seq), afterStep: Number(a.after_step), action: a.action })),
      orders: new Map(orders.map((o) => [o.client_order_id, { symbol: o.symbol, side: o.side, quantity: Number(o.quantity), status: o.status }])),
    };
  }

  async create(sessionId: string, config: unknown): Promise<void> {
    await this.db.query('insert into paper_sessions (id, config) values ($1, $2)', [sessionId, JSON.stringify(config)]);
  }

  async write(w: SessionWrite): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [s] = await tx.query<{ id: string }>(
        `update paper_sessions set last_step = greatest(last_step, $2), last_step_ts = greatest(last_step_ts, to_timestamp($3::float8 / 1000)),
           updated_at = now() where id = $1 returning id`,
        [w.sessionId, w.step, w.stepTs],
      );
      if (!s) throw new Pi5Error('PI5_ERR_DB', `paper session ${w.sessionId} is not in the database`);
      await upsertBars(tx, w.bars);
      for (const o of w.orders) await upsertOrder(tx, w.sessionId, o);
      for (let i = 0; i < w.fills.length; i++) await insertFill(tx, w.sessionId, w.fills[i] as Fill, w.firstFillNo + i);
      if (w.refusedSeqs.length > 0) {
        await tx.query('delete from paper_session_actions where session_id = $1 and seq = any($2::int[])', [w.sessionId, w.refusedSeqs]);
      }
      for (const a of w.actions) {
        await tx.query('insert into paper_session_actions (session_id, seq, after_step, action) values ($1, $2, $3, $4) on conflict do nothing', [
          w.sessionId,
          a.seq,
          a.afterStep,
          JSON.stringify(a.action),
        ]);
      }
      const snap = w.snapshot;
      if (snap !== null) {
        await tx.query(
          `insert into account_snapshots (ts, account, cash, equity, realized_pnl, unrealized_pnl) select $1, $2, $3, $4, $5, $6
             where not exists (select 1 from account_snapshots where account = $2 and ts = $1)`,
          [ms(snap.ts), w.sessionId, snap.cash, snap.equity, snap.realizedPnl, snap.unrealizedPnl],
        );
      }
    });
  }

  async setStatus(sessionId: string, status: string): Promise<void> {
    await this.db.query('update paper_sessions set status = $2, updated_at = now() where id = $1', [sessionId, status]);
  }
}

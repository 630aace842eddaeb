// What a paper session needs from storage, declared here so the engine never imports an adapter; the
// PostgreSQL/PGlite implementation lives in persistence/repositories/tradingSessions.ts.

import { Pi5Error } from '../../core/errors.js';
import type { Bar, Fill, Order } from '../../model/types.js';
import type { SessionAction } from './sessionActions.js';

/** A recorded action with the step after which it was applied (-1: before the first step). */
export interface RecordedAction {
  readonly seq: number;
  readonly afterStep: number;
  readonly action: SessionAction;
}

export interface StoredSession {
  readonly id: string;
  /** The session's configuration as created (JSON). */
  readonly config: unknown;
  /** Last step whose orders and fills are stored (-1: none yet). */
  readonly lastStep: number;
  /** Market time of that step (null: none yet). */
  readonly lastStepTs: number | null;
  readonly actions: readonly RecordedAction[];
  /** Client order ids stored for the session with their quantities, to check a recovery against. */
  readonly orders: ReadonlyMap<string, { readonly symbol: string; readonly side: string; readonly quantity: number; readonly status: string }>;
}

export interface AccountSnapshot {
  readonly ts: number;
  readonly cash: number;
  readonly equity: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

/** Everything one write makes durable, atomically. */
export interface SessionWrite {
  readonly sessionId: string;
  /** The step this write completes; lastStep moves to it. */
  readonly step: number;
  /** Market time of that step (null before the first). */
  readonly stepTs: number | null;
  /** A live step's bars, stored with its orders so that recovery can re-run it (none for a replay). */
  readonly bars: readonly Bar[];
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  /** The session-wide number of `fills[0]` (fills are numbered 0, 1, … in the order they happened), its key in storage. */
  readonly firstFillNo: number;
  readonly actions: readonly RecordedAction[];
  /**
   * Sequence numbers of actions refused because their journal write failed. A failed write may still have
   * committed (its answer lost with the connection): this write removes them, so the journal never holds an
   * action the session did not apply. Their numbers are never used again.
   */
  readonly refusedSeqs: readonly number[];
  readonly snapshot: AccountSnapshot | null;
}

export interface TradingSessionStore {
  load(sessionId: string): Promise<StoredSession | null>;
  create(sessionId: string, config: unknown): Promise<void>;
  write(w: SessionWrite): Promise<void>;
  setStatus(sessionId: string, status: string): Promise<void>;
}

/** Keeps everything in memory: tests and sessions that need no durability. */
export class MemorySessionStore implements TradingSessionStore {
  /** Bars written by live steps, in write order (what the bar store holds in the database implementation). */
  readonly bars: Bar[] = [];
  private readonly sessions = new Map<string, { config: unknown; lastStep: number; lastStepTs: number | null; actions: readonly RecordedAction[]; orders: Map<string, Order>; status: string }>();

  async load(sessionId: string): Promise<StoredSession | null> {
    const s = this.sessions.get(sessionId);
    if (!s) return null;
    const orders = new Map([...s.orders].map(([k, o]) => [k, { symbol: o.symbol, side: o.side, quantity: o.quantity, status: o.status }]));
    return { id: sessionId, config: s.config, lastStep: s.lastStep, lastStepTs: s.lastStepTs, actions: [...s.actions], orders };
  }

  async create(sessionId: string, config: unknown): Promise<void> {
    this.sessions.set(sessionId, { config, lastStep: -1, lastStepTs: null, actions: [], orders: new Map(), status: 'created' });
  }

  async write(w: SessionWrite): Promise<void> {
    const s = this.sessions.get(w.sessionId);
    if (!s) throw new Pi5Error('PI5_ERR_INTERNAL', `session ${w.sessionId} was never created`);
    for (const o of w.orders) s.orders.set(o.clientOrderId, { ...o });
    const refused = new Set(w.refusedSeqs);
    const kept = s.actions.filter((a) => !refused.has(a.seq));
    const seen = new Set(kept.map((a) => a.seq));
    s.actions = [...kept, ...w.actions.filter((a) => !seen.has(a.seq))];
    s.lastStep = Math.max(s.lastStep, w.step);
    if (w.stepTs !== null) s.lastStepTs = Math.max(s.lastStepTs ?? w.stepTs, w.stepTs);
    this.bars.push(...w.bars);
  }

  async setStatus(sessionId: string, status: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (s) s.status = status;
  }
}

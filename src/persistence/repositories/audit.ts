// The audit log (DESIGN.md §9): one row per state-changing call or security event, append-only.
// Paging is by id (newest first, `beforeId` cursor), so pages stay stable while new rows arrive.

import type { Queryable } from '../database.js';

export type AuditOutcome = 'ok' | 'denied' | 'error';

export interface AuditInput {
  /** The acting user; null for anonymous attempts (failed login) and the CLI. */
  readonly userId?: number | null;
  /** Dotted verb, e.g. `auth.login`, `user.disable`, `order.submit`. */
  readonly action: string;
  /** What was acted on, e.g. `user:alice`, `order:42`. */
  readonly target?: string | null;
  /** Extra facts; never secrets (callers pass no passwords or tokens). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly ip?: string | null;
  readonly outcome?: AuditOutcome;
}

export interface AuditEntry {
  readonly id: number;
  readonly ts: Date;
  readonly userId: number | null;
  readonly action: string;
  readonly target: string | null;
  readonly details: Record<string, unknown>;
  readonly ip: string | null;
  readonly outcome: AuditOutcome;
}

export interface AuditQuery {
  /** Page size, 1..500 (default 50). */
  readonly limit?: number;
  /** Only entries older than this id: pass the last id of the previous page. */
  readonly beforeId?: number;
  /** The acting user. */
  readonly userId?: number;
  /** Exact target, e.g. `user:alice`. */
  readonly target?: string;
  /** Exact action, or a prefix ending in `.` (e.g. `auth.`). */
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly since?: Date;
  readonly until?: Date;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `beforeId` for the next page; absent on the last page. */
  readonly nextBeforeId?: number;
}

interface Row {
  id: number | string;
  ts: Date | string;
  user_id: number | string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | string;
  ip: string | null;
  outcome: AuditOutcome;
}

function toEntry(r: Row): AuditEntry {
  return {
    id: Number(r.id),
    ts: new Date(r.ts),
    userId: r.user_id === null ? null : Number(r.user_id),
    action: r.action,
    target: r.target,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
    ip: r.ip,
    outcome: r.outcome,
  };
}

export class AuditRepository {
  constructor(private readonly db: Queryable) {}

  async append(e: AuditInput): Promise<number> {
    const rows = await this.db.query<{ id: number | string }>(
      'insert into audit_log (user_id, action, target, details, ip, outcome) values ($1, $2, $3, $4::jsonb, $5, $6) returning id',
      [e.userId ?? null, e.action, e.target ?? null, JSON.stringify(e.details ?? {}), e.ip ?? null, e.outcome ?? 'ok'],
    );
    return Number(rows[0]?.id);
  }

  async list(q: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(500, Math.max(1, Math.floor(q.limit ?? 50)));
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.beforeId !== undefined) add('id < ?', q.beforeId);
    if (q.userId !== undefined) add('user_id = ?', q.userId);
    if (q.target !== undefined) add('target = ?', q.target);
    if (q.action !== undefined) {
      if (q.action.endsWith('.')) add('starts_with(action, ?)', q.action);
      else add('action = ?', q.action);
    }
    if (q.outcome !== undefined) add('outcome = ?', q.outcome);
    if (q.since !== undefined) add('ts >= ?', q.since.toISOString());
    if (q.until !== undefined) add('ts < ?', q.until.toISOString());
    params.push(limit + 1);
    const sql = `select id, ts, user_id, action, target, details, ip, outcome from audit_log
      ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`;
    const rows = (await this.db.query<Row>(sql, params)).map(toEntry);
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    return rows.length > limit && last !== undefined ? { entries, nextBeforeId: last.id } : { entries };
  }
}

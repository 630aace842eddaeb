// What route handlers reach, all of it built by the trading node: storage, cache, auth, the session's view, the
// node's health, and the audit trail of state changes.

import type { FastifyRequest } from 'fastify';
import type { Cache } from '../cache/types.js';
import { isPi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { BrokerHealthStatus } from '../execution/venues/health/brokerHealth.js';
import type { SessionView } from '../engine/live/sessionView.js';
import type { BarStore } from '../persistence/barStore.js';
import type { Database } from '../persistence/database.js';
import type { AuditRepository } from '../persistence/repositories/audit.js';
import type { AuthService } from '../auth/index.js';
import type { BacktestJobs } from '../backtest/jobs/backtestJobs.js';
import type { OptimizationJobs } from '../optimize/jobs/optimizationJobs.js';
import type { BackupStatus } from '../ops/backupScheduler.js';
import type { LogRing } from './logRing.js';
import type { NodeHealth } from '../node/health.js';
import type { IbAccountView } from '../node/brokers.js';

export interface ApiContext {
  readonly db: Database;
  readonly cache: Cache;
  readonly auth: AuthService;
  readonly audit: AuditRepository;
  /** The trading session, through its narrow view (never its kernel). */
  readonly session: SessionView;
  readonly bars: BarStore;
  readonly backtests: BacktestJobs;
  readonly optimizations: OptimizationJobs;
  /** Health of each broker venue (GET /api/v1/brokers). */
  readonly brokers: () => readonly BrokerHealthStatus[];
  /** The IB account's positions and values, asked of the gateway; absent without an `ib` config section. */
  readonly ibAccount?: IbAccountView;
  /** Health of each of the node's components (/ready). */
  readonly health: () => Promise<NodeHealth>;
  readonly log: Logger;
  readonly logs: LogRing;
  readonly version: string;
  readonly startedAt: number;
  /** The effective configuration with secrets removed (GET /system/config). */
  readonly publicConfig: Readonly<Record<string, unknown>>;
  /** Per-user order submissions allowed per minute. */
  readonly orderRatePerMin: number;
  /** Login attempts allowed per minute per client address and username. */
  readonly loginRatePerMin: number;
  /** Asks the process to restart gracefully (admins); the CLI supervisor decides what restart means. */
  readonly requestRestart: () => void;
  /** The daily backup scheduler, when backups are on (its status shows in /ready; admins take one on demand). */
  readonly backups?: { status(): BackupStatus; runNow(): Promise<boolean> };
}

/**
 * Runs a state-changing call and writes its audit entry (user, time, outcome) whatever happens; the entry is
 * written before the answer goes out, so a client that saw a success can find it in the log.
 */
export async function audited<T>(ctx: ApiContext, req: FastifyRequest, action: string, target: string | null, fn: () => Promise<T>, details: Record<string, unknown> = {}): Promise<T> {
  const userId = req.identity?.userId ?? null;
  try {
    const out = await fn();
    try {
      await ctx.audit.append({ userId, action, target, details, ip: req.ip, outcome: 'ok' });
    } catch (e) {
      // The action happened (a kill switch tripped while the database is away): answering an error would make
      // the client believe otherwise. The entry goes to the log instead.
      req.log.error({ audit: { userId, action, target, details, outcome: 'ok' }, err: (e as Error).message }, 'audit log unreachable; entry logged here');
    }
    return out;
  } catch (e) {
    const code = isPi5Error(e) ? e.code : 'PI5_ERR_INTERNAL';
    const outcome = code === 'PI5_ERR_FORBIDDEN' || code === 'PI5_ERR_UNAUTHENTICATED' ? 'denied' : 'error';
    await ctx.audit.append({ userId, action, target, details: { ...details, error: code }, ip: req.ip, outcome }).catch(() => undefined);
    throw e;
  }
}

// How long the database takes, as the process sees it: a wrapper that times every statement, transaction and
// COPY of one Database and hands each duration to whoever listens (the node's /metrics histogram). Listeners are
// added after the database opens, because the metrics registry is built later than the database.

import type { Database, Queryable, Row } from './database.js';

export type QueryKind = 'query' | 'exec' | 'copy' | 'transaction';
export type QueryListener = (kind: QueryKind, seconds: number, ok: boolean) => void;

export class QueryTimings {
  private readonly listeners: QueryListener[] = [];

  listen(listener: QueryListener): void {
    this.listeners.push(listener);
  }

  /** Runs `fn`, reporting its duration and whether it succeeded; the result or error passes through unchanged. */
  async time<T>(kind: QueryKind, fn: () => Promise<T>): Promise<T> {
    if (this.listeners.length === 0) return fn();
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const r = await fn();
      ok = true;
      return r;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      for (const l of this.listeners) l(kind, seconds, ok);
    }
  }
}

function timedQueryable(q: Queryable, t: QueryTimings): Queryable {
  return {
    query: <T extends object = Row>(sql: string, params?: readonly unknown[]) => t.time('query', () => q.query<T>(sql, params)),
    exec: (sql) => t.time('exec', () => q.exec(sql)),
    copyFrom: (sql, chunks) => t.time('copy', () => q.copyFrom(sql, chunks)),
    copyTo: (sql, onChunk) => t.time('copy', () => q.copyTo(sql, onChunk)),
  };
}

/**
 * The same database, every call timed into `timings`; a transaction counts once, as a whole. Every other member
 * (the bar catalog, first-use opening, snapshots, and whatever Database gains later) is the database's own,
 * reached through a proxy rather than copied member by member, so a new optional member cannot be forgotten.
 */
export function timeQueries(db: Database, timings: QueryTimings): Database {
  const timed: Partial<Record<PropertyKey, unknown>> = {
    ...timedQueryable(db, timings),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => timings.time('transaction', () => db.transaction(fn)),
  };
  return new Proxy(db, {
    get(target, prop) {
      if (Object.hasOwn(timed, prop)) return timed[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

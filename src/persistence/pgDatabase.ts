// PostgreSQL through node-postgres (`pg`): a pool for queries, one pooled client per transaction, and
// pg-copy-streams for COPY in, our own CopyOut for COPY out (docs/decisions/0004-database-driver.md).

import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { Pi5Error } from '../core/errors.js';
import { CopyOut } from './pgCopyOut.js';
import type { Database, Queryable, Row } from './database.js';
import { dbError, guarded } from './dbError.js';
import { detectTimescale } from './timescale.js';

type Runner = pg.Pool | pg.PoolClient;

function queryable(run: Runner, withClient: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>): Queryable {
  return {
    query: <T extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
      guarded('query', sql, async () => (await run.query<T>(sql, params as unknown[])).rows),
    exec: (sql: string): Promise<void> =>
      guarded('statement', sql, async () => {
        await run.query(sql);
      }),
    copyFrom: (sql, chunks) =>
      withClient((c) => guarded('copy', sql, () => pipeline(Readable.from(chunks), c.query(copyFromStream(sql))))),
    copyTo: (sql, onChunk) =>
      withClient((c) =>
        guarded('copy', sql, async () => {
          await c.query(new CopyOut(sql, onChunk)).done;
        }),
      ),
  };
}

async function withPooled<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw dbError('connect failed', e);
  }
  // A connection lost while the client is checked out (a database restart between two statements of a
  // transaction) is an 'error' event on the client, which would crash the process; the next statement reports it.
  const lost = (): void => undefined;
  client.on('error', lost);
  try {
    return await fn(client);
  } finally {
    client.off('error', lost);
    client.release();
  }
}

/** The URL as shown to users: the password, if any, replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL is not a valid URL)';
  }
}

/** Connects once up front, so an unreachable server is reported as such rather than as a failed statement. */
async function checkReachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    (await pool.connect()).release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    const reason = (e as { code?: string; message?: string }).code ?? (e as Error).message;
    throw new Pi5Error(
      'PI5_ERR_DB',
      `cannot connect to the database at ${redactUrl(url)} (${reason}): check that PostgreSQL runs there and that DATABASE_URL's host, port, user, password and database are right; unset DATABASE_URL to use the embedded database in PI5_DATA_DIR`,
      { url: redactUrl(url), cause: reason },
    );
  }
}

/** Runs one statement on a session of its own, closed after it (TimescaleDB's licence probe needs one). */
export function throwawaySession(url: string): (sql: string) => Promise<void> {
  return async (sql) => {
    const client = new pg.Client({ connectionString: url, options: '-c jit=off' });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
}

export async function openPostgres(url: string): Promise<Database> {
  const max = 4;
  // No JIT: our statements are index scans, COPY and small aggregates, where compiling costs more than it saves, and
  // on a TimescaleDB hypertable it is ruinous: a query over all chunks (the bar list) is estimated above
  // jit_above_cost (chunks without statistics) and compiles expressions per chunk — 2,406 functions for 601 chunks
  // took the bar list over 2 minutes on a loaded 2-core machine, against 4 s without (docs/storage.md). Set at
  // connection start; an `options` parameter in DATABASE_URL replaces it.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c jit=off' });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  await checkReachable(pool, url);
  const base = queryable(pool, (fn) => withPooled(pool, fn));
  let hasTimescale: boolean;
  try {
    hasTimescale = await detectTimescale(base, throwawaySession(url));
  } catch (e) {
    await pool.end();
    throw e;
  }
  return {
    ...base,
    engine: 'postgres',
    hasTimescale,
    transaction: (fn) =>
      withPooled(pool, async (client) => {
        await client.query('begin');
        try {
          const result = await fn(queryable(client, (inner) => inner(client)));
          await client.query('commit');
          return result;
        } catch (e) {
          await client.query('rollback').catch(() => undefined);
          throw e;
        }
      }),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    close: () => pool.end(),
  };
}

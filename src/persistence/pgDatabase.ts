// PostgreSQL through node-postgres (`pg`): a pool for queries, one pooled client per transaction, and
// pg-copy-streams for COPY in, our own CopyOut for COPY out (docs/decisions/0004-database-driver.md).

import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { CopyOut } from './pgCopyOut.js';
import type { Database, Queryable, Row } from './database.js';
import { dbError, sqlHead } from './dbError.js';
import { detectTimescale } from './timescale.js';

type Runner = pg.Pool | pg.PoolClient;

function queryable(run: Runner, withClient: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>): Queryable {
  return {
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        return (await run.query<T>(sql, params as unknown[])).rows;
      } catch (e) {
        throw dbError(`query failed: ${sqlHead(sql)}`, e);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await run.query(sql);
      } catch (e) {
        throw dbError(`statement failed: ${sqlHead(sql)}`, e);
      }
    },
    copyFrom: (sql, chunks) =>
      withClient(async (c) => {
        try {
          await pipeline(Readable.from(chunks), c.query(copyFromStream(sql)));
        } catch (e) {
          throw dbError(`copy failed: ${sqlHead(sql)}`, e);
        }
      }),
    copyTo: (sql, onChunk) =>
      withClient(async (c) => {
        try {
          await c.query(new CopyOut(sql, onChunk)).done;
        } catch (e) {
          throw dbError(`copy failed: ${sqlHead(sql)}`, e);
        }
      }),
  };
}

async function withPooled<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const base = queryable(pool, (fn) => withPooled(pool, fn));
  let hasTimescale: boolean;
  try {
    hasTimescale = await detectTimescale(base);
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
    close: () => pool.end(),
  };
}

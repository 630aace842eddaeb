// Embedded PostgreSQL (PGlite, WebAssembly) for a first run with no server: files under
// `<dataDir>/pglite`, or in memory for tests. COPY goes through PGlite's /dev/blob device.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from './database.js';
import { dbError, sqlHead } from './dbError.js';

type Runner = PGlite | Transaction;

const STDIN = /\bfrom\s+stdin\b/i;
const STDOUT = /\bto\s+stdout\b/i;

function queryable(run: Runner): Queryable {
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
        await run.exec(sql);
      } catch (e) {
        throw dbError(`statement failed: ${sqlHead(sql)}`, e);
      }
    },
    async copyFrom(sql: string, chunks: Iterable<Uint8Array | string>): Promise<void> {
      try {
        await run.query(sql.replace(STDIN, `from '/dev/blob'`), [], { blob: new Blob([...chunks]) });
      } catch (e) {
        throw dbError(`copy failed: ${sqlHead(sql)}`, e);
      }
    },
    async copyTo(sql: string, onChunk: (chunk: Uint8Array) => void): Promise<void> {
      try {
        // PGlite hands the whole output over at once, as one blob.
        const result = await run.query(sql.replace(STDOUT, `to '/dev/blob'`));
        if (result.blob !== undefined) onChunk(new Uint8Array(await result.blob.arrayBuffer()));
      } catch (e) {
        throw dbError(`copy failed: ${sqlHead(sql)}`, e);
      }
    },
  };
}

export async function openPglite(opts: { dataDir?: string; inMemory?: boolean }): Promise<Database> {
  let dir: string | undefined;
  if (!opts.inMemory && opts.dataDir !== undefined) {
    dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  let db: PGlite;
  try {
    db = dir === undefined ? await PGlite.create() : await PGlite.create(dir);
  } catch (e) {
    throw dbError(`cannot open PGlite${dir === undefined ? ' in memory' : ` in ${dir}`}`, e);
  }
  return {
    ...queryable(db),
    engine: 'pglite',
    hasTimescale: false,
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
  };
}

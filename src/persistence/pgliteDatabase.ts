// Embedded PostgreSQL (PGlite, WebAssembly) for a first run with no server: files under
// `<dataDir>/pglite`, or in memory for tests. COPY goes through PGlite's /dev/blob device.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { ChunkSink, Database, Queryable, Row } from './database.js';
import { dbError, guarded } from './dbError.js';
import { pgliteTemplate, pgliteTemplatePath } from './pgliteTemplate.js';

type Runner = PGlite | Transaction;

const STDIN = /\bfrom\s+stdin\b/i;
const STDOUT = /\bto\s+stdout\b/i;

function queryable(run: Runner): Queryable {
  return {
    query: <T extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
      guarded('query', sql, async () => (await run.query<T>(sql, params as unknown[])).rows),
    exec: (sql: string): Promise<void> =>
      guarded('statement', sql, async () => {
        await run.exec(sql);
      }),
    copyFrom: (sql: string, chunks: Iterable<Uint8Array | string>): Promise<void> =>
      guarded('copy', sql, async () => {
        await run.query(sql.replace(STDIN, `from '/dev/blob'`), [], { blob: new Blob([...chunks]) });
      }),
    copyTo: (sql: string, onChunk: ChunkSink): Promise<void> =>
      guarded('copy', sql, async () => {
        // PGlite hands the whole output over at once, as one blob.
        const result = await run.query(sql.replace(STDOUT, `to '/dev/blob'`));
        if (result.blob !== undefined) await onChunk(new Uint8Array(await result.blob.arrayBuffer()));
      }),
  };
}

/**
 * PGlite's defaults (a large initial WASM heap, shared_buffers 128MB) cost ~300 MB of RSS for a one-user embedded
 * database; the smallest heap it accepts (128 MiB) and 32MB of shared buffers bring it near 120 MB, which matters
 * on a Pi running the server (docs/benchmarks.md, api.rss.idle).
 */
export const PGLITE_OPTIONS = { initialMemory: 128 * 2 ** 20, postgresqlconf: ['shared_buffers=32MB'] };

export async function openPglite(opts: { dataDir?: string; inMemory?: boolean }): Promise<Database> {
  let dir: string | undefined;
  if (!opts.inMemory && opts.dataDir !== undefined) {
    dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  // A new database starts from the built template instead of running initdb (pgliteTemplate.ts).
  const template = dir === undefined || !existsSync(join(dir, 'PG_VERSION')) ? pgliteTemplate() : null;
  let db: PGlite;
  try {
    db = await PGlite.create({ ...(dir === undefined ? {} : { dataDir: dir }), ...(template === null ? {} : { loadDataDir: template }), ...PGLITE_OPTIONS });
  } catch (e) {
    throw dbError(`cannot open PGlite${dir === undefined ? ' in memory' : ` in ${dir}`}${template === null ? '' : ` from the template ${pgliteTemplatePath()}`}`, e);
  }
  return {
    ...queryable(db),
    engine: 'pglite',
    hasTimescale: false,
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
    // Inside a transaction slot, so no other transaction is half-written into the files; the checkpoint flushes
    // committed pages so a restore does not depend on replaying WAL.
    snapshot: () =>
      db.transaction(async (tx) => {
        await tx.exec('checkpoint');
        return db.dumpDataDir('gzip');
      }),
  };
}

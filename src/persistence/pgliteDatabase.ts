// Embedded PostgreSQL (PGlite, WebAssembly) for a first run with no server: files under
// `<dataDir>/pglite`, or in memory for tests. COPY goes through PGlite's /dev/blob device.

import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite, Transaction } from '@electric-sql/pglite';
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
 * database. Postgres touches all of shared_buffers when it starts, so they are resident from the first second:
 * 1MB (128 pages) holds a one-user database's hot pages, the rest comes from the operating system's file cache
 * (PGlite reads the data folder's files), and cuts ~30 MiB (docs/benchmarks.md, "Server footprint"). 128 MiB is
 * the smallest heap the module accepts (it declares 2048 pages); untouched pages of it cost nothing.
 */
export const PGLITE_OPTIONS = { initialMemory: 128 * 2 ** 20, postgresqlconf: ['shared_buffers=1MB'] };

/**
 * PGlite's WebAssembly runs on V8's baseline compiler only (`--liftoff-only`, process-wide; nothing else here
 * compiles WebAssembly that matters): the optimizing tier's compilations cost ~60 MiB of memory that is freed
 * but stays with the process, and more CPU than they save on short statements. Measured: open + migrations
 * 2.5 → 1.6 s CPU, 3,000 small transactions 3.8 → 3.2 s CPU, RSS 320 → 240 MiB (docs/benchmarks.md).
 */
let baselineOnly = false;
function wasmBaselineOnly(): void {
  if (baselineOnly) return;
  baselineOnly = true;
  setFlagsFromString('--liftoff-only');
}

/**
 * PGlite's compiled WebAssembly, a `WebAssembly.Module`: opaque here (the ES2022 library and Node's types do not
 * declare WebAssembly), only handed to PGlite and between threads, which share its compiled code.
 */
export type PgliteWasm = object;

/** PGlite's WebAssembly module, compiled as V8 does (each function on its first call) on the baseline tier. */
export async function compilePgliteWasm(): Promise<PgliteWasm> {
  wasmBaselineOnly();
  const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PgliteWasm> } };
  // The package's entry points sit in its dist/, beside the .wasm file.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return wasm.compile(await readFile(join(dirname(entry), 'pglite.wasm')));
}

/**
 * `wasmModule`: PGlite's WebAssembly already compiled (compilePgliteWasm), as a worker thread is handed it; PGlite
 * otherwise reads and compiles its own, once per thread.
 */
export async function openPglite(opts: { dataDir?: string; inMemory?: boolean; wasmModule?: PgliteWasm }): Promise<Database> {
  let dir: string | undefined;
  if (!opts.inMemory && opts.dataDir !== undefined) {
    dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  // A new database starts from the built template instead of running initdb (pgliteTemplate.ts).
  const template = dir === undefined || !existsSync(join(dir, 'PG_VERSION')) ? pgliteTemplate() : null;
  let db: PGlite;
  wasmBaselineOnly();
  try {
    // Loaded here, not with this module: the server's main thread and bar-only commands never open PGlite.
    const { PGlite } = await import('@electric-sql/pglite');
    db = await PGlite.create({
      ...(dir === undefined ? {} : { dataDir: dir }),
      ...(template === null ? {} : { loadDataDir: template }),
      ...(opts.wasmModule === undefined ? {} : { pgliteWasmModule: opts.wasmModule }),
      ...PGLITE_OPTIONS,
    });
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

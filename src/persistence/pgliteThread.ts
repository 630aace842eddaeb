// The embedded database on its own thread: a Database whose calls travel to a worker running PGlite
// (pgliteWorker.ts). Same SQL, errors and transactions as in-process PGlite; the main thread only posts
// messages, so the API keeps answering while a step's writes run (issue 11 finding 8, docs/reliability.md).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ERROR_CODES, Pi5Error, type ErrorCode } from '../core/errors.js';
import { runProcessBeside } from '../core/processBeside.js';
import { startWorkerBeside } from '../core/workerBeside.js';
import type { ChunkSink, Database, Queryable, Row } from './database.js';
import { dbError } from './dbError.js';
import type { PgliteWasm } from './pgliteDatabase.js';
import type { PgliteFailure, PgliteReply, PgliteRequest, PgliteWorkerData } from './pgliteProtocol.js';

type Call = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function asError(f: PgliteFailure): Error {
  if (f.name === 'Pi5Error' && f.code !== undefined && f.code in ERROR_CODES) return new Pi5Error(f.code as ErrorCode, f.message, f.details ?? {});
  return dbError('PGlite', { message: f.message, code: f.code, detail: f.details?.detail });
}

/**
 * Opens PGlite in `<dataDir>/pglite` on a worker thread; resolves once it is open (rejects with why not).
 * A new data folder is a copy of the build's schema template (pgliteSeed.ts: files only, no PGlite), or, with no
 * template for this PGlite and these migrations, made by a process of its own (pgliteMake.ts: the template, then
 * the migrations). Either way the worker that serves finds the schema up to date, and no thread of this process
 * grows PGlite's WebAssembly heap or the C allocator's arena making it: neither is ever returned (~35 MiB more at
 * idle after a first start made in a throwaway worker; docs/benchmarks.md, "Server footprint").
 */
export async function openPgliteThread(dataDir: string): Promise<Database> {
  let seeded = false;
  if (!existsSync(join(dataDir, 'pglite', 'PG_VERSION'))) {
    try {
      // Loaded only for a new folder: it brings the migrations' SQL.
      seeded = await (await import('./pgliteSeed.js')).seedFromSchemaTemplate(dataDir);
      if (!seeded && !existsSync(join(dataDir, 'pglite', 'PG_VERSION'))) await runProcessBeside(import.meta.url, 'pgliteMake', [dataDir]);
    } catch (e) {
      throw dbError(`cannot make a new embedded database in ${join(dataDir, 'pglite')}`, e);
    }
  }
  const db = await startPgliteThread(dataDir);
  if (seeded) {
    try {
      await (await import('./pgliteSeed.js')).dateSeededMigrations(db);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}

// A small young generation: the worker's own objects are a few MiB of rows in flight (results travel as copies),
// and V8's default lets the idle worker keep 8–16 MiB of nursery.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * PGlite's WebAssembly as the second worker of the process compiled it, handed to every later one: a worker would
 * otherwise read and compile the 9 MB module again, and each function it runs is compiled again on its first call
 * (V8 shares a module's compiled code between the threads that hold it). Tests open hundreds of workers in one
 * process. The first worker lets PGlite compile its own: a server opens only that one, and compiling the module
 * apart to share it left it ~8–10 MB more idle RSS (bench server, 2026-12-08: 156/148 MB against 166/154).
 */
let compiledWasm: PgliteWasm | undefined;
let workersStarted = 0;

async function startPgliteThread(dataDir: string): Promise<Database> {
  const data: PgliteWorkerData = { dataDir, ...(compiledWasm === undefined ? { shareWasm: workersStarted > 0 } : { wasmModule: compiledWasm }) };
  workersStarted++;
  const worker: Worker = startWorkerBeside(import.meta.url, 'pgliteWorker', { workerData: data, resourceLimits: WORKER_LIMITS });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let lastId = 0;
  let lost: Error | null = null;
  // Referenced only while a call is in flight: an idle database never keeps the process alive (in-process
  // PGlite did not either), and an awaited call always does.
  const settle = (): void => {
    if (pending.size === 0) worker.unref();
  };
  const stop = (why: Error): void => {
    lost ??= why;
    for (const p of pending.values()) p.reject(lost);
    pending.clear();
    settle();
  };
  const opened = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: PgliteReply) => {
      if (m.ok === 'opened') {
        compiledWasm ??= m.wasmModule;
        if (m.error === undefined) resolve();
        else reject(asError(m.error));
        return;
      }
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(asError(m.error));
      settle();
    });
    worker.on('error', (e) => {
      stop(dbError('PGlite worker failed', e));
      reject(lost as Error);
    });
    worker.on('exit', (code) => {
      stop(dbError('PGlite', new Error(`the database thread stopped (exit code ${code})`)));
      reject(lost as Error);
    });
  });
  try {
    await opened;
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  worker.unref();

  const call = <T>(c: Call): Promise<T> => {
    if (lost !== null) return Promise.reject(lost);
    const id = ++lastId;
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...c, id });
    });
  };
  const queryable = (tx: number | null): Queryable => ({
    query: <T extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> => call<T[]>({ op: 'query', tx, sql, params }),
    exec: (sql: string): Promise<void> => call<void>({ op: 'exec', tx, sql }),
    copyFrom: (sql: string, chunks: Iterable<Uint8Array | string>): Promise<void> => call<void>({ op: 'copyFrom', tx, sql, chunks: [...chunks] }),
    copyTo: async (sql: string, onChunk: ChunkSink): Promise<void> => {
      await onChunk(await call<Uint8Array>({ op: 'copyTo', tx, sql }));
    },
  });
  return {
    ...queryable(null),
    engine: 'pglite',
    hasTimescale: false,
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
      const tx = await call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await fn(queryable(tx));
      } catch (e) {
        await call<void>({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw e;
      }
      await call<void>({ op: 'end', tx, commit: true });
      return result;
    },
    close: async () => {
      if (lost === null) await call<void>({ op: 'close' });
      lost ??= dbError('PGlite', new Error('the database is closed'));
      await worker.terminate();
    },
    snapshot: async () => new Blob([await call<Uint8Array>({ op: 'snapshot' })]),
  };
}

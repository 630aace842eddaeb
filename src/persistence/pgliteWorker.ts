// Worker-thread side of the embedded database: PGlite runs its WebAssembly here, so a statement, however long,
// never holds the main thread's event loop (issue 11 finding 8: per-step writes delayed API answers).

import { parentPort, workerData } from 'node:worker_threads';
import { isPi5Error } from '../core/errors.js';
import type { Database, Queryable } from './database.js';
import { compilePgliteWasm, openPglite } from './pgliteDatabase.js';
import type { PgliteFailure, PgliteReply, PgliteRequest, PgliteWorkerData } from './pgliteProtocol.js';

const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  readonly tx: Queryable;
  readonly end: (commit: boolean) => void;
  readonly settled: Promise<void>;
}

function failure(e: unknown): PgliteFailure {
  if (isPi5Error(e)) return { name: e.name, message: e.message, code: e.code, details: { ...e.details } };
  const err = e as { name?: string; message?: string; code?: string; detail?: string };
  return { name: err.name ?? 'Error', message: err.message ?? String(e), ...(err.code === undefined ? {} : { code: err.code }), ...(err.detail === undefined ? {} : { details: { detail: err.detail } }) };
}

function post(reply: PgliteReply, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(reply, transfer);
}

function serve(db: Database): void {
  const open = new Map<number, OpenTransaction>();
  let lastTx = 0;
  const runner = (tx: number | null): Queryable => {
    if (tx === null) return db;
    const t = open.get(tx);
    if (t === undefined) throw new Error(`transaction ${tx} is not open`);
    return t.tx;
  };
  /** Resolves with the new transaction's id once BEGIN ran (the transaction then waits for its end). */
  const begin = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const id = ++lastTx;
      let end: (commit: boolean) => void = () => undefined;
      const ended = new Promise<boolean>((r) => (end = r));
      const settled = db
        .transaction(async (tx) => {
          open.set(id, { tx, end, settled });
          resolve(id);
          if (!(await ended)) throw ROLLBACK;
        })
        .catch((e: unknown) => {
          if (e !== ROLLBACK) throw e;
        })
        .finally(() => open.delete(id));
      // BEGIN itself failed: the transaction never opened.
      settled.catch(reject);
    });
  const finish = async (tx: number, commit: boolean): Promise<void> => {
    const t = open.get(tx);
    if (t === undefined) throw new Error(`transaction ${tx} is not open`);
    t.end(commit);
    await t.settled;
  };
  const handle = async (m: PgliteRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> => {
    switch (m.op) {
      case 'query':
        return { value: await runner(m.tx).query(m.sql, m.params) };
      case 'exec':
        return { value: await runner(m.tx).exec(m.sql) };
      case 'copyFrom':
        return { value: await runner(m.tx).copyFrom(m.sql, m.chunks) };
      case 'copyTo': {
        const parts: Uint8Array[] = [];
        await runner(m.tx).copyTo(m.sql, (c) => {
          parts.push(c);
        });
        const out = Buffer.concat(parts);
        const bytes = new Uint8Array(out.byteLength);
        bytes.set(out);
        return { value: bytes, transfer: [bytes.buffer] };
      }
      case 'begin':
        return { value: await begin() };
      case 'end':
        return { value: await finish(m.tx, m.commit) };
      case 'snapshot': {
        if (db.snapshot === undefined) throw new Error('no snapshot support');
        const bytes = new Uint8Array(await (await db.snapshot()).arrayBuffer());
        return { value: bytes, transfer: [bytes.buffer] };
      }
      case 'close':
        return { value: await db.close() };
    }
  };
  parentPort?.on('message', (m: PgliteRequest) => {
    handle(m).then(
      (r) => post({ id: m.id, ok: true, value: r.value }, r.transfer),
      (e: unknown) => post({ id: m.id, ok: false, error: failure(e) }),
    );
  });
}

const data = workerData as PgliteWorkerData;
// Compiled here to be handed back for the next worker when asked (pgliteThread.ts), else by PGlite itself.
(async () => {
  const wasmModule = data.wasmModule ?? (data.shareWasm === true ? await compilePgliteWasm() : undefined);
  return { db: await openPglite({ dataDir: data.dataDir, ...(wasmModule === undefined ? {} : { wasmModule }) }), wasmModule };
})().then(
  ({ db, wasmModule }) => {
    serve(db);
    post({ id: 0, ok: 'opened', wasmModule });
  },
  (e: unknown) => post({ id: 0, ok: 'opened', error: failure(e) }),
);

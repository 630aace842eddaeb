// The embedded store on disk, opened on first use (decision 0009): bars in the catalog, PGlite started only when
// something else is needed. Kept apart from pgliteDatabase.ts so a command that touches only bars never loads
// PGlite's modules either.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BarCatalog } from './catalog/barCatalog.js';
import type { Database } from './database.js';
import { dbError } from './dbError.js';
import { openPgliteThread } from './pgliteThread.js';

/**
 * The on-disk embedded store, opened on first use: bars live in the catalog beside PGlite (decision 0009), so
 * `pi5 data list`, `data import` and a backtest from the store never start the WebAssembly database (1–2 s and
 * ~100 MB); anything else opens it, then runs `afterOpen` (migrations) once. PGlite then runs on its own thread
 * (pgliteThread.ts): its statements would otherwise hold the event loop that serves the API.
 */
export function lazyPglite(dataDir: string, afterOpen?: (db: Database) => Promise<void>): Database {
  let opening: Promise<Database> | undefined;
  let closed = false;
  const barCatalog = new BarCatalog(join(dataDir, 'catalog'), { mayHaveSqlBars: existsSync(join(dataDir, 'pglite', 'PG_VERSION')) });
  const db = (): Promise<Database> => {
    if (closed) return Promise.reject(dbError('PGlite', new Error('the database is closed')));
    opening ??= (async () => {
      const opened = await openPgliteThread(dataDir);
      await afterOpen?.(opened);
      return opened;
    })();
    return opening;
  };
  return {
    engine: 'pglite',
    hasTimescale: false,
    barCatalog,
    query: async (sql, params) => (await db()).query(sql, params),
    exec: async (sql) => (await db()).exec(sql),
    copyFrom: async (sql, chunks) => (await db()).copyFrom(sql, chunks),
    copyTo: async (sql, onChunk) => (await db()).copyTo(sql, onChunk),
    transaction: async (fn) => (await db()).transaction(fn),
    close: async () => {
      closed = true;
      if (opening !== undefined) await (await opening.catch(() => null))?.close();
    },
    snapshot: async () => {
      const opened = await db();
      if (opened.snapshot === undefined) throw dbError('PGlite', new Error('no snapshot support'));
      return opened.snapshot();
    },
    opened: () => opening !== undefined,
  };
}

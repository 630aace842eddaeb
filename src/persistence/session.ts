// Opens the configured database, brings its schema up to date (migrations run when it opens; the embedded
// one opens on first use), runs a job and closes it, so commands never leave a connection or a PGlite instance open.

import type { Logger } from '../core/log.js';
import type { Database, DatabaseConfig } from './database.js';
import { databaseConfigFromEnv, openDatabase } from './openDatabase.js';

/** Migrations are loaded when a database opens: a command that only reads the bar catalog never needs them. */
async function migrateOnOpen(db: Database, log: Logger | undefined): Promise<void> {
  const { migrate } = await import('./migrations/index.js');
  await migrate(db, log);
}

export async function withDatabase<T>(
  fn: (db: Database) => Promise<T>,
  opts: { log?: Logger; migrate?: boolean; config?: DatabaseConfig } = {},
): Promise<T> {
  const db = await openDatabase(opts.config ?? databaseConfigFromEnv(), opts.migrate === false ? undefined : (d) => migrateOnOpen(d, opts.log));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// Opens the configured database, brings its schema up to date (migrations run on every start), runs a
// job and closes it, so commands never leave a connection or a PGlite instance open.

import type { Logger } from '../core/log.js';
import type { Database, DatabaseConfig } from './database.js';
import { migrate } from './migrations/index.js';
import { databaseConfigFromEnv, openDatabase } from './openDatabase.js';

export async function withDatabase<T>(
  fn: (db: Database) => Promise<T>,
  opts: { log?: Logger; migrate?: boolean; config?: DatabaseConfig } = {},
): Promise<T> {
  const db = await openDatabase(opts.config ?? databaseConfigFromEnv());
  try {
    if (opts.migrate !== false) await migrate(db, opts.log);
    return await fn(db);
  } finally {
    await db.close();
  }
}

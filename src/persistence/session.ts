// Opens the configured database, brings its schema up to date (migrations run when it opens; the embedded
// one opens on first use), runs a job and closes it, so commands never leave a connection or a PGlite instance open.

import type { Logger } from '../core/log.js';
import type { Database, DatabaseConfig } from './database.js';
import { migrate } from './migrations/index.js';
import { databaseConfigFromEnv, openDatabase } from './openDatabase.js';

export async function withDatabase<T>(
  fn: (db: Database) => Promise<T>,
  opts: { log?: Logger; migrate?: boolean; config?: DatabaseConfig } = {},
): Promise<T> {
  const db = await openDatabase(opts.config ?? databaseConfigFromEnv(), opts.migrate === false ? undefined : (d) => migrate(d, opts.log).then(() => undefined));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// Chooses the engine (DESIGN.md §8, §13): DATABASE_URL → PostgreSQL; unset → PGlite in PI5_DATA_DIR.

import type { Database, DatabaseConfig } from './database.js';
import { lazyPglite, openPglite } from './pgliteDatabase.js';

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') return { databaseUrl: url };
  return { dataDir: env.PI5_DATA_DIR ?? './data' };
}

/**
 * Opens the configured database and runs `afterOpen` (migrations) on it. The embedded one on disk opens on first
 * use (pgliteDatabase.ts lazyPglite), so commands that touch only bars never start it.
 */
export async function openDatabase(config: DatabaseConfig = databaseConfigFromEnv(), afterOpen?: (db: Database) => Promise<void>): Promise<Database> {
  const inMemory = config.inMemory ?? config.dataDir === undefined;
  if (config.databaseUrl === undefined && !inMemory && config.dataDir !== undefined) return lazyPglite(config.dataDir, afterOpen);
  // The PostgreSQL driver loads only when a DATABASE_URL is given: embedded defaults never parse it.
  const db =
    config.databaseUrl !== undefined
      ? await (await import('./pgDatabase.js')).openPostgres(config.databaseUrl)
      : await openPglite({ ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }), inMemory });
  try {
    await afterOpen?.(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

// Chooses the engine (DESIGN.md §8, §13): DATABASE_URL → PostgreSQL; unset → PGlite in PI5_DATA_DIR.
// Each engine's module is loaded only when chosen: pg and PGlite cost a command that uses neither ~0.1 s of start-up.

import type { Database, DatabaseConfig } from './database.js';

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') return { databaseUrl: url };
  return { dataDir: env.PI5_DATA_DIR ?? './data' };
}

/**
 * Opens the configured database and runs `afterOpen` (migrations) on it. The embedded one on disk opens on first
 * use (lazyPglite.ts), so commands that touch only bars never start it.
 */
export async function openDatabase(config: DatabaseConfig = databaseConfigFromEnv(), afterOpen?: (db: Database) => Promise<void>): Promise<Database> {
  const inMemory = config.inMemory ?? config.dataDir === undefined;
  if (config.databaseUrl === undefined && !inMemory && config.dataDir !== undefined) return (await import('./lazyPglite.js')).lazyPglite(config.dataDir, afterOpen);
  const db =
    config.databaseUrl !== undefined
      ? await (await import('./pgDatabase.js')).openPostgres(config.databaseUrl)
      : await (await import('./pgliteDatabase.js')).openPglite({ ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }), inMemory });
  try {
    await afterOpen?.(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

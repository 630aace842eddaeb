// Chooses the engine (DESIGN.md §8, §13): DATABASE_URL → PostgreSQL; unset → PGlite in PI5_DATA_DIR.

import type { Database, DatabaseConfig } from './database.js';
import { openPglite } from './pgliteDatabase.js';
import { openPostgres } from './pgDatabase.js';

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') return { databaseUrl: url };
  return { dataDir: env.PI5_DATA_DIR ?? './data' };
}

export async function openDatabase(config: DatabaseConfig = databaseConfigFromEnv()): Promise<Database> {
  if (config.databaseUrl !== undefined) return openPostgres(config.databaseUrl);
  return openPglite({
    ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
    inMemory: config.inMemory ?? config.dataDir === undefined,
  });
}

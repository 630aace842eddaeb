// Detects whether the timescaledb extension can be used on this server, so its features are opt-in by
// presence rather than by configuration.

import type { Queryable } from './database.js';

export async function detectTimescale(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from pg_available_extensions where name = 'timescaledb'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

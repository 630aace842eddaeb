// Row count and checksum of every table of the public schema: what a backup round trip must bring back intact.

import type { Queryable } from '../../src/persistence/database.js';

export async function tableChecksums(db: Queryable): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables) {
    const [r] = await db.query<{ rows: number; md5: string | null }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from "${name}" t`,
    );
    out[name] = { rows: r?.rows ?? -1, md5: r?.md5 ?? '' };
  }
  return out;
}

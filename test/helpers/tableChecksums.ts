// Row count and checksum of every table of the public schema: what a backup round trip or an upgrade must bring
// back intact. With `columns`, each table is read through those columns only (an upgrade may add columns).

import type { Queryable } from '../../src/persistence/database.js';

export type TableChecksums = Record<string, { rows: number; md5: string }>;

export async function tableColumns(db: Queryable): Promise<Record<string, string[]>> {
  const rows = await db.query<{ t: string; c: string }>(
    `select table_name as t, column_name as c from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.t] ??= []).push(r.c);
  return out;
}

export async function tableChecksums(db: Queryable, columns?: Record<string, string[]>): Promise<TableChecksums> {
  const tables = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  const out: TableChecksums = {};
  for (const { name } of tables) {
    const cols = columns?.[name];
    if (columns !== undefined && cols === undefined) continue;
    const row = cols === undefined ? 't' : `row(${cols.map((c) => `t."${c}"`).join(', ')})`;
    const [r] = await db.query<{ rows: number; md5: string | null }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(${row}::text, E'\\n' order by ${row}::text), '')) as md5 from "${name}" t`,
    );
    out[name] = { rows: r?.rows ?? -1, md5: r?.md5 ?? '' };
  }
  return out;
}

// Makes a new embedded data folder — PGlite from the template, then the migrations — in a process of its own
// (pgliteThread.ts runs it): `node pgliteMake.js <dataDir>`. Exits 0 when the folder is ready; otherwise prints
// why on stderr and exits 1.

import { migrate } from './migrations/index.js';
import { openPglite } from './pgliteDatabase.js';

const dataDir = process.argv[2];
try {
  if (dataDir === undefined || dataDir === '') throw new Error('usage: pgliteMake <dataDir>');
  const db = await openPglite({ dataDir });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}

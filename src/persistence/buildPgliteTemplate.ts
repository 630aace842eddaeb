// Build step (`npm run build`): writes the PGlite template (pgliteTemplate.ts) beside the compiled module, once
// per PGlite version, and the schema template (pgliteSeed.ts: a data folder made from it and migrated), once per
// PGlite version and set of migrations; a rebuild with both present does nothing.

import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from './migrations/index.js';
import { openPglite, PGLITE_OPTIONS } from './pgliteDatabase.js';
import { pgliteTemplatePath } from './pgliteTemplate.js';
import { schemaTemplatePath } from './pgliteSeed.js';

const out = pgliteTemplatePath();
if (!existsSync(out)) {
  const db = await PGlite.create(PGLITE_OPTIONS);
  const tarball = await db.dumpDataDir('gzip');
  await db.close();
  // Written under another name first, so a build stopped midway never leaves half a template behind.
  writeFileSync(`${out}.partial`, new Uint8Array(await tarball.arrayBuffer()));
  renameSync(`${out}.partial`, out);
}

const schema = schemaTemplatePath();
if (!existsSync(schema)) {
  // Made as a server's first start made a folder before (pgliteMake.ts), in a folder of its own, then renamed.
  const work = mkdtempSync(join(dirname(schema), '.schema-'));
  try {
    const db = await openPglite({ dataDir: work });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    renameSync(join(work, 'pglite'), schema);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
// Schema templates of earlier migrations or PGlite versions are never copied again.
const current = basename(schema);
for (const name of readdirSync(dirname(schema))) {
  if (name.startsWith('pglite-') && name.includes('-schema-') && name !== current) rmSync(join(dirname(schema), name), { recursive: true, force: true });
}

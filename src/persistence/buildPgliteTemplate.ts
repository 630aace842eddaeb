// Build step (`npm run build`): writes the PGlite template (pgliteTemplate.ts) beside the compiled module, once
// per PGlite version; a rebuild with the file present does nothing.

import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_OPTIONS } from './pgliteDatabase.js';
import { pgliteTemplatePath } from './pgliteTemplate.js';

const out = pgliteTemplatePath();
if (!existsSync(out)) {
  const db = await PGlite.create(PGLITE_OPTIONS);
  const tarball = await db.dumpDataDir('gzip');
  await db.close();
  // Written under another name first, so a build stopped midway never leaves half a template behind.
  writeFileSync(`${out}.partial`, new Uint8Array(await tarball.arrayBuffer()));
  renameSync(`${out}.partial`, out);
}

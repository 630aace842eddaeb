// A new embedded data folder as a copy of the build's schema template: a PGlite folder that the build made from the
// template, migrated and closed (buildPgliteTemplate.ts). Copying its files replaces a process that starts PGlite,
// unpacks the template and applies every migration: ~2–3 s CPU on every first start and every test's fresh folder
// (docs/benchmarks.md, "First start from the schema template"). The folder is named by PGlite's version and the
// migrations' checksums, so a copy never holds another PGlite's files or another schema.

import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from './database.js';
import { CORE_MIGRATIONS, checksum } from './migrations/index.js';
import { builtBeside, findBuilt, pgliteVersion } from './pgliteTemplate.js';

/** `pglite-<version>-schema-<digest of every core migration's version and checksum>`. */
export function schemaTemplateName(): string {
  const digest = createHash('sha256');
  for (const m of CORE_MIGRATIONS) digest.update(`${m.version}:${checksum(m)}\n`);
  return `pglite-${pgliteVersion()}-schema-${digest.digest('hex').slice(0, 16)}`;
}

/** Where the build writes the schema template: beside this module in dist/. */
export function schemaTemplatePath(): string {
  return builtBeside(schemaTemplateName());
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (e) => {
      const [src, dst] = [join(from, e.name), join(to, e.name)];
      if (e.isDirectory()) return copyTree(src, dst);
      if (!e.isFile()) throw new Error(`${src}: neither a file nor a folder`);
      // A reflink where the file system has them (btrfs, XFS): no data is copied until PGlite writes.
      return copyFile(src, dst, constants.COPYFILE_FICLONE);
    }),
  );
}

function isCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes(String((e as { code?: unknown }).code));
}

/**
 * Copies the schema template to `<dataDir>/pglite`, whole or not at all: into a folder of its own first, then
 * renamed into place (onto an empty `pglite` folder too). True when this call made the folder; false when there is
 * no template for this PGlite and these migrations (a tree not built since a migration was added), or when the
 * folder is there already (made by another process meanwhile, or holding files of its own: left as it is).
 */
export async function seedFromSchemaTemplate(dataDir: string, template: string | undefined = findBuilt(schemaTemplateName())): Promise<boolean> {
  if (template === undefined) return false;
  await mkdir(dataDir, { recursive: true });
  const partial = join(dataDir, `pglite.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await copyTree(template, partial);
    await rename(partial, join(dataDir, 'pglite'));
    return true;
  } catch (e) {
    if (isCode(e, 'ENOTEMPTY', 'EEXIST')) return false;
    throw e;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/**
 * The template's migrations were applied when it was built: they are dated to the folder's first start instead,
 * as migrating the new folder would have dated them (`pi5 db status` shows when).
 */
export async function dateSeededMigrations(db: Queryable): Promise<void> {
  await db.exec('update schema_migrations set applied_at = now()');
}

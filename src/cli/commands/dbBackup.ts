// `pi5 db backup --out FILE` and `pi5 db restore FILE`: one backup or restore of the configured database
// (DATABASE_URL, or PGlite in PI5_DATA_DIR). PGlite: stop the server first, or use its scheduled backups.

import type { Command } from 'commander';
import { resolve } from 'node:path';
import { backupDatabase, restoreDatabase } from '../../ops/backup.js';
import { databaseConfigFromEnv } from '../../persistence/openDatabase.js';
import { withDatabase } from '../../persistence/session.js';

export function registerDbBackup(db: Command): void {
  db.command('backup')
    .description('write a backup: pg_dump custom format (PostgreSQL) or a snapshot of the PGlite data directory')
    .requiredOption('--out <file>', 'backup file to write (e.g. pi5.dump, or pi5.tar.gz for PGlite)')
    .action(async (f: { out: string }) => {
      const config = databaseConfigFromEnv();
      const out = resolve(f.out);
      const r = await withDatabase(
        (d) => backupDatabase(d, out, config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
        { migrate: false, config },
      );
      process.stdout.write(`backup written: ${r.file} (${r.bytes} bytes)\n`);
    });
  db.command('restore')
    .description('restore a backup into the configured database (stop the server first); PGlite keeps the replaced data beside it')
    .argument('<file>', 'a file written by `pi5 db backup` or by the server\'s scheduled backups')
    .action(async (file: string) => {
      const r = await restoreDatabase(resolve(file), databaseConfigFromEnv());
      process.stdout.write(`restored ${r.engine} from ${resolve(file)}${r.previous === null ? '' : `; the replaced ${r.engine === 'postgres' ? 'database is kept as' : 'data directory is kept in'} ${r.previous}`}${r.previousCatalog === null ? '' : `, the replaced bar catalog in ${r.previousCatalog}`}\n`);
    });
}

// `pi5 db migrate` and `pi5 db status`: schema migrations of the configured database (DATABASE_URL, or
// PGlite in PI5_DATA_DIR).

import type { Command } from 'commander';
import { createLogger } from '../../core/log.js';
import { migrate, status } from '../../persistence/migrations/index.js';
import { withDatabase } from '../../persistence/session.js';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database schema: migrate, status');
  db.command('migrate')
    .description('apply pending migrations (TimescaleDB features only where the extension exists)')
    .action(async () => {
      const log = createLogger('info');
      await withDatabase(
        async (d) => {
          const applied = await migrate(d, log);
          process.stdout.write(applied.length === 0 ? `${d.engine}: schema is up to date\n` : `${d.engine}: applied migrations ${applied.join(', ')}\n`);
        },
        { migrate: false },
      );
    });
  db.command('status')
    .description('list migrations: applied, pending, changed since applied, or skipped (with the reason)')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withDatabase(
        async (d) => {
          const st = await status(d);
          if (f.json) {
            process.stdout.write(JSON.stringify({ engine: d.engine, timescale: d.hasTimescale, migrations: st }, null, 2) + '\n');
            return;
          }
          process.stdout.write(`engine ${d.engine}, timescaledb ${d.hasTimescale ? 'available' : 'not available'}\n`);
          for (const s of st) {
            const extra = s.appliedAt ?? s.reason ?? '';
            process.stdout.write(`${String(s.version).padStart(4, '0')}  ${s.name.padEnd(32)} ${s.state.padEnd(8)} ${extra}\n`);
          }
        },
        { migrate: false },
      );
    });
}

// `pi5 db migrate`, `pi5 db status` and `pi5 db retention`: schema migrations of the configured database (DATABASE_URL, or
// PGlite in PI5_DATA_DIR).

import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import type { Database } from '../../persistence/database.js';
import { migrate, status } from '../../persistence/migrations/index.js';
import { withDatabase } from '../../persistence/session.js';
import { inspectTimescale } from '../../persistence/timescale.js';
import { readRetention, readTickRetention, setRetention, setTickRetention } from '../../persistence/barRetention.js';
import { registerDbBackup } from './dbBackup.js';

/** What `migrate` would do; a changed migration is reported as `migrate` would refuse it. */
async function dryRun(d: Database): Promise<void> {
  const st = await status(d);
  const pending = st.filter((s) => s.state === 'pending');
  const changed = st.filter((s) => s.state === 'changed');
  for (const s of changed) process.stdout.write(`changed since applied (migrate would refuse): ${s.version} ${s.name}\n`);
  if (pending.length === 0) process.stdout.write(`${d.engine}: schema is up to date; nothing to apply\n`);
  else process.stdout.write(`${d.engine}: would apply ${pending.map((s) => `${s.version} (${s.name})`).join(', ')}\n`);
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('database schema, backups and retention: migrate, status, backup, restore, retention');
  db.command('migrate')
    .description('apply pending migrations (TimescaleDB features only where the extension exists)')
    .option('--dry-run', 'list the migrations that would be applied, change nothing')
    .action(async (f: { dryRun?: boolean }) => {
      const log = createLogger('info');
      await withDatabase(
        async (d) => {
          if (f.dryRun === true) return dryRun(d);
          const applied = await migrate(d, log);
          process.stdout.write(applied.length === 0 ? `${d.engine}: schema is up to date\n` : `${d.engine}: applied migrations ${applied.join(', ')}\n`);
        },
        { migrate: false },
      );
    });
  registerDbBackup(db);
  db.command('retention')
    .description('show or set what TimescaleDB deletes daily: old bars of some timeframes, old ticks (off unless set)')
    .option('--keep <interval>', 'delete data older than this (e.g. "2 years"; at least a day)')
    .option('--timeframes <list>', 'comma-separated bar timeframes the --keep applies to', '1m')
    .option('--ticks', '--keep/--off apply to ticks (whole daily chunks) instead of bars')
    .option('--off', 'delete nothing (the default)')
    .action(async (f: { keep?: string; timeframes: string; ticks?: boolean; off?: boolean }) => {
      if (f.off === true && f.keep !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'db retention: give --keep or --off, not both');
      const change = f.off === true ? null : f.keep;
      await withDatabase(async (d) => {
        if (change !== undefined && f.ticks === true) await setTickRetention(d, change);
        else if (change !== undefined) await setRetention(d, change === null ? [] : f.timeframes.split(',').map((t) => t.trim()).filter((t) => t !== ''), change);
        const bars = await readRetention(d);
        const ticks = await readTickRetention(d);
        process.stdout.write(bars.keep === null ? 'bar retention: off (no bars are deleted)\n' : `bar retention: ${bars.timeframes.join(', ')} bars older than ${bars.keep} are deleted daily\n`);
        process.stdout.write(ticks === null ? 'tick retention: off (no ticks are deleted)\n' : `tick retention: ticks older than ${ticks} are dropped daily (whole chunks)\n`);
      });
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
          // Present but unusable (not preloaded, Apache-only build, role may not create it): say why, as doctor does.
          const why = d.engine === 'postgres' && !d.hasTimescale ? (await inspectTimescale(d)).reason : null;
          process.stdout.write(`engine ${d.engine}, timescaledb ${d.hasTimescale ? 'available' : 'not available'}${why === null ? '' : ` (${why})`}\n`);
          for (const s of st) {
            const extra = s.appliedAt ?? s.reason ?? '';
            process.stdout.write(`${String(s.version).padStart(4, '0')}  ${s.name.padEnd(32)} ${s.state.padEnd(8)} ${extra}\n`);
          }
        },
        { migrate: false },
      );
    });
}

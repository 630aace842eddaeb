// The server's backups: one before migrations change an existing schema, then the daily scheduler. A few lines
// in the server's assembly call this, so whichever component starts the server can carry it.

import { join, resolve } from 'node:path';
import type { Logger } from '../core/log.js';
import type { Database } from '../persistence/database.js';
import { status } from '../persistence/migrations/index.js';
import { BACKUP_EXTENSION, backupDatabase } from './backup.js';
import { BackupScheduler, backupFileName } from './backupScheduler.js';
import { mkdir } from 'node:fs/promises';
import { folderTarget, type BackupTarget } from './backupTargets.js';
import { s3Target } from './s3Target.js';

export interface ServerBackupConfig {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly backupSchedule: 'daily' | 'off';
  readonly backupDir?: string;
  readonly backupCopyDir?: string;
  readonly backupS3Url?: string;
  readonly backupS3Endpoint?: string;
  readonly backupBeforeMigrations: boolean;
}

export function backupDirOf(config: ServerBackupConfig): string {
  return resolve(config.backupDir ?? join(config.dataDir, 'backups'));
}

/**
 * Before an upgrade's migrations touch a database that already has a schema, a backup of it as it was (a
 * fresh database has nothing to lose). Returns the file, or null when none was needed. A failure stops the start.
 */
export async function backupBeforeMigrations(db: Database, config: ServerBackupConfig, now: () => number, log?: Logger): Promise<string | null> {
  if (!config.backupBeforeMigrations) return null;
  const states = await status(db);
  const hasSchema = states.some((s) => s.state === 'applied' || s.state === 'changed');
  if (!hasSchema || !states.some((s) => s.state === 'pending')) return null;
  const dir = backupDirOf(config);
  await mkdir(dir, { recursive: true });
  const file = join(dir, backupFileName(now(), BACKUP_EXTENSION[db.engine]));
  await backupDatabase(db, file, config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl });
  log?.warn('backup taken before migrations', { file });
  return file;
}

/** Config checked here, at start-up: a bad bucket URL stops the start rather than the first night's backup. */
async function backupTargets(config: ServerBackupConfig): Promise<BackupTarget[]> {
  const targets: BackupTarget[] = [];
  if (config.backupCopyDir !== undefined) targets.push(folderTarget(resolve(config.backupCopyDir)));
  if (config.backupS3Url !== undefined) {
    targets.push(await s3Target({ url: config.backupS3Url, ...(config.backupS3Endpoint === undefined ? {} : { endpoint: config.backupS3Endpoint }) }));
  }
  return targets;
}

/** The daily scheduler over the open database, started (null when the schedule is off). */
export async function startBackupScheduler(db: Database, config: ServerBackupConfig, now: () => number, log?: Logger, onFailure?: (file: string, error: string) => void): Promise<BackupScheduler | null> {
  if (config.backupSchedule === 'off') return null;
  const scheduler = new BackupScheduler({
    dir: backupDirOf(config),
    targets: await backupTargets(config),
    extension: BACKUP_EXTENSION[db.engine],
    now,
    take: (file) => backupDatabase(db, file, config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    ...(log === undefined ? {} : { log }),
    ...(onFailure === undefined ? {} : { onFailure }),
  });
  await scheduler.load();
  scheduler.start();
  return scheduler;
}

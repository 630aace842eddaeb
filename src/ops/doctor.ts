// `pi5 doctor`: checks an installation (Node, config, database reachable and migrated, TimescaleDB, Redis, disk,
// clock, backups) and says what to fix. Every probe is injected, so broken setups are tested without breaking one.

import type { Database } from '../persistence/database.js';
import { status } from '../persistence/migrations/index.js';
import type { DoctorCheck } from './doctorCheck.js';
import { describeTimescale } from './timescaleState.js';

export type { CheckStatus, DoctorCheck } from './doctorCheck.js';

export interface DiskSpace {
  readonly freeBytes: number;
  readonly totalBytes: number;
}

export interface DoctorConfig {
  readonly dataDir: string;
  readonly backupDir: string;
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
}

export interface DoctorProbes {
  readonly nodeVersion: string;
  /** Loads and validates the configuration; throws what `pi5 serve` would. */
  readonly loadConfig: () => DoctorConfig;
  readonly openDatabase: (config: { dataDir: string; databaseUrl?: string }) => Promise<Database>;
  readonly pingRedis: (url: string) => Promise<void>;
  readonly diskSpace: (path: string) => Promise<DiskSpace>;
  /** True/false when the system says whether its clock is NTP-synchronized; null when it cannot tell. */
  readonly clockSynced: () => Promise<boolean | null>;
  /** Major version of the pg_dump that backups would run (null: not installed). */
  readonly pgDumpMajor: () => Promise<number | null>;
  /** Age of the newest backup in the backup folder, in ms (null: none). */
  readonly newestBackupAgeMs: (backupDir: string) => Promise<number | null>;
}

const GB = 2 ** 30;
const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ name, status: 'fail', detail, fix });
const warn = (name: string, detail: string, fix: string): DoctorCheck => ({ name, status: 'warn', detail, fix });
const ok = (name: string, detail: string): DoctorCheck => ({ name, status: 'ok', detail });

function nodeCheck(version: string): DoctorCheck {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  return major >= 20 ? ok('node', `Node ${version}`) : fail('node', `Node ${version}`, 'install Node.js 20 or later (https://nodejs.org, or NodeSource packages on Raspberry Pi OS)');
}

async function databaseChecks(p: DoctorProbes, config: { dataDir: string; databaseUrl?: string }): Promise<DoctorCheck[]> {
  let db: Database;
  try {
    db = await p.openDatabase(config);
  } catch (e) {
    const where = config.databaseUrl === undefined ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    return [fail('database', `${where} is not reachable: ${(e as Error).message}`, config.databaseUrl === undefined ? 'check that the data directory is writable and no other process holds it' : 'start PostgreSQL (systemctl start postgresql, or docker compose up -d postgres) and check DATABASE_URL')];
  }
  try {
    const out: DoctorCheck[] = [ok('database', `${db.engine} reachable`)];
    const st = await status(db);
    const changed = st.filter((s) => s.state === 'changed');
    const pending = st.filter((s) => s.state === 'pending');
    if (changed.length > 0) out.push(fail('migrations', `applied migrations changed since: ${changed.map((s) => s.version).join(', ')}`, 'restore the original migration SQL (reinstall this release); never edit an applied migration'));
    else if (pending.length > 0) out.push(fail('migrations', `${pending.length} pending: ${pending.map((s) => `${s.version} ${s.name}`).join(', ')}`, 'run `pi5 db migrate` (or start the server, which backs up and migrates)'));
    else out.push(ok('migrations', `all ${st.filter((s) => s.state === 'applied').length} applied`));
    out.push(await describeTimescale(db));
    if (db.engine === 'postgres') out.push(await pgDumpCheck(p, db));
    return out;
  } finally {
    await db.close();
  }
}

/** Backups of a PostgreSQL database need a pg_dump at least as new as the server (older ones refuse). */
async function pgDumpCheck(p: DoctorProbes, db: Database): Promise<DoctorCheck> {
  const [row] = await db.query<{ v: number }>(`select current_setting('server_version_num')::int / 10000 as v`);
  const server = row?.v ?? 0;
  const dump = await p.pgDumpMajor().catch(() => null);
  if (dump === null) return warn('pg_dump', 'not installed: backups (and the backup before migrations) will fail', 'install the PostgreSQL client (`sudo apt install postgresql-client`), or set PI5_PG_BIN_DIR');
  if (dump < server) return warn('pg_dump', `pg_dump ${dump} is older than the server (${server}) and will refuse to dump it`, `install postgresql-client-${server} and set PI5_PG_BIN_DIR=/usr/lib/postgresql/${server}/bin`);
  return ok('pg_dump', `pg_dump ${dump} for server ${server}`);
}

async function diskCheck(p: DoctorProbes, dataDir: string): Promise<DoctorCheck> {
  let d: DiskSpace;
  try {
    d = await p.diskSpace(dataDir);
  } catch (e) {
    return warn('disk', `cannot read free space of ${dataDir}: ${(e as Error).message}`, 'create the data directory (PI5_DATA_DIR)');
  }
  const share = d.totalBytes > 0 ? d.freeBytes / d.totalBytes : 0;
  const detail = `${(d.freeBytes / GB).toFixed(1)} GiB free of ${(d.totalBytes / GB).toFixed(1)} GiB (${Math.round(share * 100)}%) at ${dataDir}`;
  if (d.freeBytes < GB || share < 0.05) return fail('disk', detail, 'free space: delete old backups or reports, move backups to another disk (PI5_BACKUP_DIR), or grow the disk');
  if (share < 0.15) return warn('disk', detail, 'the disk is filling: plan space for backups and WAL (docs/operations.md)');
  return ok('disk', detail);
}

async function clockCheck(p: DoctorProbes): Promise<DoctorCheck> {
  const synced = await p.clockSynced().catch(() => null);
  if (synced === true) return ok('clock', 'NTP-synchronized');
  if (synced === false) return fail('clock', 'the system clock is not NTP-synchronized', 'enable time sync: `sudo timedatectl set-ntp true` (bar times and order timestamps depend on it)');
  return warn('clock', 'cannot tell whether the clock is synchronized (no timedatectl)', 'make sure an NTP client (systemd-timesyncd, chrony) runs');
}

async function backupCheck(p: DoctorProbes, backupDir: string): Promise<DoctorCheck> {
  const age = await p.newestBackupAgeMs(backupDir).catch(() => null);
  if (age === null) return warn('backups', `no backup in ${backupDir}`, 'start the server (daily backups) or run `pi5 db backup --out FILE`');
  const hours = age / 3_600_000;
  if (hours > 26) return warn('backups', `newest backup is ${hours.toFixed(0)} h old`, 'check the server logs for "backup failed"; PI5_BACKUP_SCHEDULE must not be off');
  return ok('backups', `newest backup ${hours.toFixed(1)} h old`);
}

export async function runDoctor(p: DoctorProbes): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [nodeCheck(p.nodeVersion)];
  let config: DoctorConfig;
  try {
    config = p.loadConfig();
    out.push(ok('config', 'valid'));
  } catch (e) {
    out.push(fail('config', (e as Error).message, 'fix the value named above (`pi5 config print` shows each value and where it comes from)'));
    return out;
  }
  out.push(...(await databaseChecks(p, config)));
  if (config.redisUrl === undefined) out.push(ok('redis', 'not configured: in-memory cache'));
  else {
    try {
      await p.pingRedis(config.redisUrl);
      out.push(ok('redis', 'reachable'));
    } catch (e) {
      out.push(fail('redis', `not reachable: ${(e as Error).message}`, 'start Redis (systemctl start redis-server) or unset REDIS_URL to use the in-memory cache'));
    }
  }
  out.push(await diskCheck(p, config.dataDir), await clockCheck(p), await backupCheck(p, config.backupDir));
  return out;
}

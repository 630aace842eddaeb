// `pi5 doctor`: checks this installation with the real probes (statfs, timedatectl, the configured database and
// Redis) and prints each check with what to fix; exits 1 when a check fails (warnings do not).

import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { loadConfig } from '../../config/configFile.js';
import { Pi5Error } from '../../core/errors.js';
import { listBackups } from '../../ops/backupScheduler.js';
import { runDoctor, type DoctorCheck, type DoctorProbes } from '../../ops/doctor.js';
import { backupDirOf } from '../../ops/serverBackups.js';
import { openDatabase } from '../../persistence/openDatabase.js';

const run = promisify(execFile);

async function pingRedis(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  // The failed connect() rejects with the error; the emitted copy must not be reported as unhandled.
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } finally {
    r.disconnect();
  }
}

async function clockSynced(): Promise<boolean | null> {
  try {
    const { stdout } = await run('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { timeout: 3000 });
    const v = stdout.trim();
    return v === 'yes' ? true : v === 'no' ? false : null;
  } catch {
    return null;
  }
}

export function realProbes(configPath: string | undefined, env: NodeJS.ProcessEnv): DoctorProbes {
  return {
    nodeVersion: process.version,
    loadConfig: () => {
      const c = loadConfig({ env, ...(configPath === undefined ? {} : { configPath }) }).server;
      return { dataDir: c.dataDir, backupDir: backupDirOf(c), ...(c.databaseUrl === undefined ? {} : { databaseUrl: c.databaseUrl }), ...(c.redisUrl === undefined ? {} : { redisUrl: c.redisUrl }) };
    },
    openDatabase: (c) => openDatabase(c.databaseUrl === undefined ? { dataDir: c.dataDir } : { databaseUrl: c.databaseUrl }),
    pingRedis,
    diskSpace: async (path) => {
      const s = await statfs(path);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    },
    clockSynced,
    pgDumpMajor: async () => {
      const dir = env.PI5_PG_BIN_DIR;
      const { stdout } = await run(dir === undefined || dir === '' ? 'pg_dump' : join(dir, 'pg_dump'), ['--version'], { timeout: 5000 }).catch(() => ({ stdout: '' }));
      const m = /(\d+)(?:\.\d+)?/.exec(stdout);
      return m === null ? null : Number(m[1]);
    },
    newestBackupAgeMs: async (dir) => {
      const all = await listBackups(dir);
      return all.length === 0 ? null : Date.now() - Math.max(...all.map((b) => b.takenAtMs));
    },
  };
}

export function formatChecks(checks: readonly DoctorCheck[]): string {
  const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  return checks.map((c) => `${mark[c.status]} ${c.name.padEnd(12)} ${c.detail}${c.fix === undefined ? '' : `\n     fix: ${c.fix}`}\n`).join('');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this installation (Node, config, database, migrations, TimescaleDB, Redis, disk, clock, backups) and say what to fix')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present)')
    .option('--json', 'print JSON')
    .action(async (f: { config?: string; json?: boolean }) => {
      const checks = await runDoctor(realProbes(f.config, process.env));
      process.stdout.write(f.json === true ? `${JSON.stringify(checks, null, 2)}\n` : formatChecks(checks));
      const failed = checks.filter((c) => c.status === 'fail');
      if (failed.length > 0) throw new Pi5Error('PI5_ERR_CHECK_FAILED', `${failed.length} check(s) failed: ${failed.map((c) => c.name).join(', ')}`);
    });
}

// The operations commands through the built CLI: pi5 doctor's exit code, pi5 config print's sources and
// redaction, pi5 db migrate --dry-run, and pi5 db backup / restore on PGlite (the built program run inside this
// process, pi5InProcess: each call would otherwise start a process and a cold PGlite).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess, type CliRun } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-ops-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function envWith(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'PI5_ADMIN_PASSWORD', 'PI5_JWT_SECRET']) delete base[k];
  return { ...base, ...env };
}

function run(env: Record<string, string>, args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: envWith(env), cwd: tmp });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const runInProcess = (env: Record<string, string>, args: string[]): Promise<CliRun> => pi5InProcess(args, { env: envWith(env), cwd: tmp });

const hasPg = await postgresAvailable();

describe('operations commands', () => {
  it('pi5 doctor exits 1 and prints what to fix when the database is down', () => {
    const r = run({ PI5_DATA_DIR: join(tmp, 'd1'), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }, ['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL database .*\n\s+fix: start PostgreSQL/m);
    expect(r.stderr).toMatch(/PI5_ERR_CHECK_FAILED/);
  });

  it('pi5 config print names the source of every value and redacts secrets', () => {
    const r = run({ PI5_PORT: '9191', DATABASE_URL: 'postgres://pi5:hunter2@db.example:5432/pi5', PI5_JWT_SECRET: 'very-secret-value-1234567890' }, ['config', 'print', '--json']);
    expect(r.code).toBe(0);
    const values = JSON.parse(r.stdout) as { key: string; value: unknown; source: string }[];
    const by = Object.fromEntries(values.map((v) => [v.key, v]));
    expect(by.port).toEqual({ key: 'port', value: 9191, source: 'env PI5_PORT' });
    expect(by.host).toMatchObject({ value: '127.0.0.1', source: 'default' });
    expect(by.databaseUrl?.value).toBe('postgres://pi5:***@db.example:5432/pi5');
    expect(by.PI5_JWT_SECRET).toMatchObject({ value: '[redacted]', source: 'env PI5_JWT_SECRET' });
    expect(r.stdout).not.toMatch(/hunter2|very-secret/);
  });

  it.runIf(hasPg)('pi5 db migrate --dry-run lists pending migrations and applies none', async () => {
    const t = await createTestDatabase('pi5_dryrun');
    try {
      const dry = run({ DATABASE_URL: t.url }, ['db', 'migrate', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/would apply 1 \(market_data\), 2 /);
      expect(run({ DATABASE_URL: t.url }, ['db', 'migrate', '--dry-run']).stdout).toMatch(/would apply 1 /);
      run({ DATABASE_URL: t.url }, ['db', 'migrate']);
      expect(run({ DATABASE_URL: t.url }, ['db', 'migrate', '--dry-run']).stdout).toMatch(/up to date; nothing to apply/);
    } finally {
      await t.drop();
    }
  });

  it('pi5 db backup then pi5 db restore on PGlite brings the stored bars back', async () => {
    const env = { PI5_DATA_DIR: join(tmp, 'pg') };
    const imp = await runInProcess(env, ['data', 'import', sharedData('NVDA-1999-2014.csv')]);
    expect(imp.code, imp.stderr).toBe(0);
    const listed = (await runInProcess(env, ['data', 'list'])).stdout;
    const file = join(tmp, 'pi5.tar.gz');
    const b = await runInProcess(env, ['db', 'backup', '--out', file]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/backup written: .*pi5\.tar\.gz \(\d+ bytes\)/);
    rmSync(join(tmp, 'pg', 'pglite'), { recursive: true });
    const r = await runInProcess(env, ['db', 'restore', file]);
    expect(r.code, r.stderr).toBe(0);
    expect((await runInProcess(env, ['data', 'list'])).stdout).toBe(listed);
  });
});

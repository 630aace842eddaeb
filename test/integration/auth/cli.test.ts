// `pi5 user` through the built CLI (run `npm run build` first) on PGlite in a temp PI5_DATA_DIR: add with a
// generated or stdin password, list, passwd, disable/enable, and the exit-2 usage errors. Runs that read stdin
// are real processes; the others run the built program in this process (pi5InProcess).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess, type CliRun } from '../../helpers/cli.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { AuthService } from '../../../src/auth/service.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-user-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: tmp };
  delete e.DATABASE_URL;
  return e;
}

/** A real `pi5` process, its password on stdin. */
function pi5WithStdin(args: string[], input: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: env(), input });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const pi5 = (args: string[]): Promise<CliRun> => pi5InProcess(args, { env: env() });

describe('pi5 user', () => {
  it('adds a user with a generated one-time password, then lists it', async () => {
    const add = await pi5(['user', 'add', 'alice', '--role', 'trader']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^created user alice \(trader\), id 1\none-time password for alice .*\n[A-Za-z0-9_-]{24}\n$/);
    const list = await pi5(['user', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id\s+username\s+role\s+disabled\s+created\s+last login\n1\s+alice \*\s+trader\s+no\s+\d{4}-\d\d-\d\dT/);
    expect(list.stdout).toMatch(/\* must change the password at next login/);
  });

  it('takes the password from stdin with --password-stdin (trailing newline dropped), and it logs in', async () => {
    const add = pi5WithStdin(['user', 'add', 'bob', '--role', 'admin', '--password-stdin'], 'bob has a long password\n');
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('created user bob (admin), id 2\n');
    const short = pi5WithStdin(['user', 'add', 'carl', '--role', 'viewer', '--password-stdin'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/PI5_ERR_BAD_PASSWORD.*at least 12 characters/);
    expect(pi5WithStdin(['user', 'passwd', 'bob', '--password-stdin'], 'bob has a new password\n').code).toBe(0);
    expect((await pi5(['user', 'disable', 'alice'])).stdout).toMatch(/alice disabled/);
    const db = await openDatabase({ dataDir: tmp });
    try {
      const auth = new AuthService(db, { secret: Buffer.alloc(32, 1) });
      const pair = await auth.login('bob', 'bob has a new password');
      expect(await auth.verifyAccess(pair.accessToken)).toMatchObject({ username: 'bob', role: 'admin', mustChangePassword: false });
      const users = await auth.users.list();
      expect(users.find((u) => u.username === 'alice')?.disabledAt).not.toBeNull();
    } finally {
      await db.close();
    }
  });

  it('refuses a bad role, a taken name and an unknown user with exit 2 and a clear message', async () => {
    const role = await pi5(['user', 'add', 'dora', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toBe('error [PI5_ERR_BAD_USAGE]: role "boss": must be one of viewer, trader, admin\n');
    const taken = await pi5(['user', 'add', 'bob', '--role', 'viewer']);
    expect([taken.code, taken.stderr]).toEqual([2, 'error [PI5_ERR_USER_EXISTS]: user "bob" already exists\n']);
    const ghost = await pi5(['user', 'enable', 'ghost']);
    expect([ghost.code, ghost.stderr]).toEqual([2, 'error [PI5_ERR_UNKNOWN_USER]: no user named "ghost"\n']);
  });
});

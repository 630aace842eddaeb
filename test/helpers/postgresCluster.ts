// A private PostgreSQL cluster for outage tests: initdb under a temp dir, the server on a spare port as a child
// process, stopped like a crash (immediate shutdown) and started again at will. Runs the server as the
// `postgres` user when the tests run as root (PostgreSQL refuses root).

import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../integration/cache/redisServer.js';
import { WAIT_BUDGET_MS } from './budget.js';

/** The newest installed PostgreSQL's bin directory, or null (skipped loudly; a failure under CI=true). */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  const v = versions[0];
  if (v !== undefined) return join(root, v, 'bin');
  const message = `no initdb under ${root}/*/bin; the PostgreSQL outage tests need it to start a private cluster`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stderr.write(`\n*** SKIPPING PostgreSQL outage tests: ${message} ***\n\n`);
  return null;
}

function runAs(): Pick<SpawnOptions, 'uid' | 'gid'> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export class PostgresCluster {
  private child: ChildProcess | undefined;
  private readonly user = runAs();

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb in a fresh temp dir (trust auth, user postgres) on a spare port; not started yet. */
  static async create(bin: string): Promise<PostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'pi5-pg-'));
    const c = new PostgresCluster(bin, dir, await freePort());
    if (c.user.uid !== undefined) chownSync(dir, c.user.uid, c.user.gid ?? c.user.uid);
    const r = spawnSync(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...c.user, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
    return c;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts the server and resolves once it answers a query (fails after timeoutMs). */
  async start(timeoutMs = WAIT_BUDGET_MS): Promise<void> {
    // A small server: the outage tests start it 20+ times, and what it would do besides serving their queries
    // (autovacuum, WAL senders, background workers, 128 MB of shared buffers) costs CPU at each start: ~25 % less.
    const small = ['shared_buffers=16MB', 'autovacuum=off', 'max_wal_senders=0', 'max_worker_processes=0'].flatMap((s) => ['-c', s]);
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', ...small];
    const child = spawn(join(this.bin, 'postgres'), args, { ...this.user, stdio: 'ignore' });
    this.child = child;
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres on port ${this.port} exited with ${child.exitCode}`);
      const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
      try {
        await c.connect();
        await c.query('select 1');
        return;
      } catch {
        if (Date.now() > end) throw new Error(`postgres on port ${this.port} not ready after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      } finally {
        await c.end().catch(() => undefined);
      }
    }
  }

  /** Stops the server the way a crash does (immediate shutdown: no checkpoint) and waits for it to be gone. */
  async crash(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGQUIT');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

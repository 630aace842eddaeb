// A private redis-server child for outage tests: started on a free port, killed and restarted at will.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

/** True when redis-server can be run; otherwise skips loudly, or fails under CI=true like services.ts. */
export function redisServerInstalled(): boolean {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (r.status === 0) return true;
  const message = 'redis-server is not on PATH; the outage tests need it to start a private server';
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stderr.write(`\n*** SKIPPING Redis outage tests: ${message} ***\n\n`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export class RedisServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly password: string,
  ) {}

  get url(): string {
    return `redis://:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/0`;
  }

  /** Starts the server and resolves once it accepts connections (fails after timeoutMs). */
  async start(timeoutMs = WAIT_BUDGET_MS): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--daemonize', 'no', '--dir', tmpdir(), '--requirepass', this.password);
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const end = Date.now() + timeoutMs;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited with ${child.exitCode}`);
      if (Date.now() > end) throw new Error(`redis-server on port ${this.port} not accepting after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Kills the server like a crash (SIGKILL) and waits for the process to be gone. */
  async kill(timeoutMs = WAIT_BUDGET_MS): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis-server pid ${child.pid} did not exit`)), timeoutMs);
    });
    await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  }
}

// The two Redis connections of a RedisCache (commands, and a subscriber) and their health: reconnect with
// capped exponential backoff, one log line when an outage starts and one when it ends, never the password.

import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../core/log.js';
import { maskRedisUrl } from './redisUrl.js';

/** ioredis's messages for a connection that is gone (as opposed to a command that failed on a live one). */
const CONNECTION_LOST = /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Socket closed/i;

export interface RedisLinkOptions {
  url: string;
  /** Database index; overrides one given in the URL path. */
  db?: number;
  /** First reconnect delay; it doubles per attempt up to maxBackoffMs (defaults 50 and 2000). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A command that takes longer fails (and the cache falls back) instead of stalling callers. Default 1000. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  log: Logger;
  /** Runs each time the subscriber connection becomes ready, to restore subscriptions. */
  resubscribe: (sub: Redis) => Promise<void>;
}

export class RedisLink {
  readonly main: Redis;
  readonly sub: Redis;
  private readonly log: Logger;
  private readonly secrets: string[];
  private readonly logged = new Set<string>();
  private readonly waiters = new Set<(up: boolean) => void>();
  private subRestored = false;
  private outage = false;
  private closed = false;

  constructor(private readonly opts: RedisLinkOptions) {
    this.log = opts.log.child({ redis: maskRedisUrl(opts.url) });
    this.secrets = secretsOf(opts.url);
    const min = opts.minBackoffMs ?? 50;
    const max = opts.maxBackoffMs ?? 2000;
    const options: RedisOptions = {
      lazyConnect: true,
      // Fail fast while disconnected: a cache that queues commands for a dead server stalls its callers.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // Subscriptions are restored by us from the handler registry, which also holds channels added mid-outage.
      autoResubscribe: false,
      retryStrategy: (attempt) => Math.min(min * 2 ** Math.min(attempt - 1, 20), max),
      commandTimeout: opts.commandTimeoutMs ?? 1000,
      connectTimeout: opts.connectTimeoutMs ?? 2000,
      ...(opts.db === undefined ? {} : { db: opts.db }),
    };
    this.main = new Redis(opts.url, options);
    this.sub = new Redis(opts.url, options);
    this.watch(this.main, 'commands');
    this.watch(this.sub, 'subscriber');
    this.sub.on('ready', () => void this.restoreSubscriptions());
  }

  /** Starts connecting; resolves true once up, or false after timeoutMs (the cache then runs degraded). */
  async connect(timeoutMs: number): Promise<boolean> {
    // Failed first attempts are retried by the retry strategy and reported through the 'error' events.
    this.main.connect().catch(() => undefined);
    this.sub.connect().catch(() => undefined);
    return this.whenUp(timeoutMs);
  }

  isUp(): boolean {
    return !this.closed && this.main.status === 'ready' && this.sub.status === 'ready' && this.subRestored;
  }

  mainReady(): boolean {
    return !this.closed && this.main.status === 'ready';
  }

  subReady(): boolean {
    return !this.closed && this.sub.status === 'ready' && this.subRestored;
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Resolves true as soon as both connections are up (subscriptions restored), or false after timeoutMs. */
  whenUp(timeoutMs: number): Promise<boolean> {
    if (this.isUp()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (up: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(up);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(done);
    });
  }

  /**
   * Records a failed command. Connection failures are already reported once per outage by the connection
   * events; anything else (a script error, a timeout on a live connection) is logged once per distinct
   * message until the next reconnect, so a hot path cannot flood the log.
   */
  failed(op: string, e: unknown): void {
    if (this.closed || !this.mainReady()) return;
    const message = this.scrub(e instanceof Error ? e.message : String(e));
    // The socket can fail before the client's status leaves 'ready': such a failure is the outage itself,
    // which the connection events report once.
    if (CONNECTION_LOST.test(message)) return;
    const key = `${op}:${message}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.log.error('Redis command failed; the cache answered from its fallback', { op, error: message });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.waiters]) w(false);
    await Promise.all([quitOrDisconnect(this.main), quitOrDisconnect(this.sub)]);
  }

  private watch(conn: Redis, role: string): void {
    conn.on('error', (e: Error) => this.down(role, e.message));
    conn.on('close', () => this.down(role, 'connection closed'));
    conn.on('ready', () => this.checkUp());
  }

  private down(role: string, reason: string): void {
    if (role === 'subscriber') this.subRestored = false;
    if (this.closed || this.outage) return;
    this.outage = true;
    this.log.warn('Redis unreachable: cache degraded (reads miss, writes dropped, local rate limits and pub/sub)', {
      connection: role,
      error: this.scrub(reason),
    });
  }

  private async restoreSubscriptions(): Promise<void> {
    try {
      await this.opts.resubscribe(this.sub);
      this.subRestored = true;
      this.checkUp();
    } catch (e) {
      // The connection dropped again while subscribing; the next 'ready' tries again.
      this.down('subscriber', e instanceof Error ? e.message : String(e));
    }
  }

  private checkUp(): void {
    if (!this.isUp()) return;
    this.logged.clear();
    if (this.outage) {
      this.outage = false;
      this.log.info('Redis reachable again: cache recovered');
    }
    for (const w of [...this.waiters]) w(true);
  }

  /** Error texts should never contain the password, but a driver or server may echo the URL. */
  private scrub(text: string): string {
    return this.secrets.reduce((t, s) => t.split(s).join('***'), text);
  }
}

async function quitOrDisconnect(conn: Redis): Promise<void> {
  if (conn.status !== 'ready') {
    conn.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
  await Promise.race([conn.quit().then(() => undefined, () => undefined), timeout]);
  clearTimeout(timer);
  conn.disconnect();
}

/** The password of url as written and decoded, for scrubbing error texts. */
function secretsOf(url: string): string[] {
  const password = new URL(url).password;
  if (!password) return [];
  try {
    return [...new Set([password, decodeURIComponent(password)])];
  } catch {
    return [password];
  }
}

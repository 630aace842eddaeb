// Starts a real trading node (database, auth, paper session) with the API mounted on it (HTTP listener, WebSocket)
// on a free port with its data in a temporary folder, and talks to it over real HTTP. PGlite by default; pass a database URL for PostgreSQL.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/api/app.js';
import type { ScryptParams } from '../../src/auth/index.js';
import type { Cache } from '../../src/cache/types.js';
import type { TradingSession } from '../../src/engine/live/tradingSession.js';
import { TradingNode } from '../../src/node/tradingNode.js';
import type { Database } from '../../src/persistence/database.js';
import { loadConfig } from '../../src/config/configFile.js';

export const ADMIN_PASSWORD = 'correct-horse-battery-9';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are asserted field by field
}

export interface TestServer extends RunningServer {
  readonly node: TradingNode;
  readonly session: TradingSession;
  readonly db: Database;
  readonly cache: Cache;
  readonly dataDir: string;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<HttpResult>;
  login(username: string, password: string): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>;
  /** Creates a user with the given role (as admin) and signs it in. */
  userToken(username: string, role: 'viewer' | 'trader' | 'admin'): Promise<string>;
  adminToken(): Promise<string>;
}

/** A password-hashing cost for tests that sign in many times: ~1 ms a hash instead of DEFAULT_SCRYPT's ~0.3 CPU-s. */
export const FAST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };

export interface TestServerOptions {
  /** The text of a pi5.config.yaml, written into the data folder and loaded as `--config` would be. */
  readonly configYaml?: string;
  /** An existing data folder (a restart of a server that ran there); close() then leaves it in place. */
  readonly dataDir?: string;
  /** The node's password-hashing cost (NodeOptions.scrypt); default the production one. */
  readonly scrypt?: ScryptParams;
}

export async function startTestServer(env: Record<string, string> = {}, opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'pi5-api-')));
  const fullEnv = { PI5_DATA_DIR: dataDir, PI5_PORT: '0', PI5_LOG_LEVEL: 'warn', PI5_ADMIN_PASSWORD: ADMIN_PASSWORD, PI5_DEMO_BARS: '300', ...env };
  let configPath: string | undefined;
  if (opts.configYaml !== undefined) {
    configPath = join(dataDir, 'pi5.config.yaml');
    await writeFile(configPath, opts.configYaml);
  }
  // cwd: the data folder, so a pi5.config.yaml in the project folder is never picked up by accident.
  const config = loadConfig({ env: fullEnv, flags: { autostart: false }, cwd: dataDir, ...(configPath === undefined ? {} : { configPath }) }).server;
  const node = await TradingNode.open(config, { env: fullEnv, notice: () => undefined, ...(opts.scrypt === undefined ? {} : { scrypt: opts.scrypt }) });
  const app = await startServer(node, { logOut: null }).catch(async (e: unknown) => {
    await node.stop();
    throw e;
  });
  const request: TestServer['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const r = await fetch(`${app.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: r.status, headers: r.headers, body: parsed };
  };
  const login: TestServer['login'] = async (username, password) => {
    const r = await request('POST', '/api/v1/auth/login', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { accessToken: string; refreshToken: string; expiresIn: number };
  };
  let admin: string | null = null;
  const adminToken = async (): Promise<string> => (admin ??= (await login('admin', ADMIN_PASSWORD)).accessToken);
  const userToken: TestServer['userToken'] = async (username, role) => {
    const password = `${username}-password-123`;
    const r = await request('POST', '/api/v1/users', { token: await adminToken(), body: { username, role, password } });
    if (r.status !== 201) throw new Error(`create ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return (await login(username, password)).accessToken;
  };
  return {
    ...app,
    node,
    session: node.session,
    db: node.db,
    cache: node.cache,
    dataDir,
    request,
    login,
    userToken,
    adminToken,
    close: async () => {
      await app.close();
      await node.stop();
      if (opts.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

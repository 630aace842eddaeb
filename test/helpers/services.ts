// Local PostgreSQL and Redis for integration tests. URLs come from TEST_DATABASE_URL / TEST_REDIS_URL (defaults:
// the servers on 127.0.0.1). A missing server skips its tests with a loud notice, except under CI=true,
// where it fails the run.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function missing(what: string, url: string, error: unknown): false {
  const message = `${what} is not reachable at ${url}: ${(error as Error).message}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stderr.write(`\n*** SKIPPING ${what} tests: ${message} ***\n\n`);
  return false;
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (e) {
    return missing('PostgreSQL', TEST_DATABASE_URL, e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisAvailable(): Promise<boolean> {
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch (e) {
    return missing('Redis', TEST_REDIS_URL, e);
  } finally {
    r.disconnect();
  }
}

/**
 * Creates a fresh database for one test file (on `server`, default the test PostgreSQL) and returns its URL and a
 * drop function (call in afterAll), so test runs never see each other's data.
 */
export async function createTestDatabase(prefix = 'pi5_test', server = TEST_DATABASE_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropTestDatabase(name, server) };
}

/** Drops a database of the test server by name (also one a test made, e.g. the copy a TimescaleDB restore keeps). */
export async function dropTestDatabase(name: string, server = TEST_DATABASE_URL): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  await c.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  await c.end();
}

/** A store a server test runs on: its environment (empty for embedded PGlite) and how to remove it afterwards. */
export interface StoreBackend {
  readonly name: string;
  readonly env: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
}

/** Embedded PGlite and a fresh database on the test PostgreSQL (which must be reachable). */
export const STORE_BACKENDS: readonly StoreBackend[] = [
  { name: 'PGlite', env: async () => ({ env: {}, cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL',
    env: async () => {
      if (!(await postgresAvailable())) throw new Error('PostgreSQL is not reachable at TEST_DATABASE_URL');
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, cleanup: db.drop };
    },
  },
];

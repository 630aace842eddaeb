// Errors a new user meets first say what went wrong and what to do, in one line, without internals:
// a taken port (checked before anything is created), an unreachable DATABASE_URL (named, password hidden),
// a header-only CSV (named), an unknown body field (named), and the OpenAPI text keeps `<accessToken>`.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeries } from '../../../src/cli/loadData.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { CLI } from '../../helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pi5-errors-'));
  dirs.push(d);
  return d;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('pi5 serve on a taken port', () => {
  let blocker: Server;
  let port = 0;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const a = blocker.address();
    port = typeof a === 'object' && a !== null ? a.port : 0;
  });
  afterAll(async () => new Promise<void>((r) => blocker.close(() => r())));

  it('exits with one line saying what to do, before creating an admin or a database', async () => {
    const dataDir = join(await tempDir(), 'data');
    const r = spawnSync(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
      encoding: 'utf8',
      env: { ...process.env, PI5_DATA_DIR: dataDir, PI5_ADMIN_PASSWORD: '', DATABASE_URL: '', NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PI5_ERR_PORT_IN_USE');
    expect(lines[0]).toContain(`127.0.0.1:${port} is already in use`);
    expect(lines[0]).toContain('--port');
    expect(r.stderr).not.toMatch(/password|EADDRINUSE|\n\s+at /);
    // Nothing was opened: no data folder, so no database and no admin user.
    expect(await readdir(dataDir).catch(() => null)).toBeNull();
  });
});

describe('an unreachable DATABASE_URL', () => {
  it('names the URL without its password and says how to fix it, no SQL', async () => {
    const e = await caught(openDatabase({ databaseUrl: 'postgres://pi5:s3cret-pw@127.0.0.1:1/pi5' }));
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_DB');
    const message = (e as Error).message;
    expect(message).toContain('postgres://pi5:***@127.0.0.1:1/pi5');
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret-pw');
    expect(message).not.toMatch(/select|query failed/i);
  });
});

describe('a CSV file with a header and no rows', () => {
  it('is refused naming the file', async () => {
    const file = join(await tempDir(), 'EMPTY.csv');
    await writeFile(file, 'date,open,high,low,close,volume\n');
    const e = await caught(loadSeries({ paths: [file] }));
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_NO_DATA');
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toContain('no data rows');
  });
});

describe('API request errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it('names an unknown body field in the 400 message', async () => {
    const r = await s.request('POST', '/api/v1/orders', { token: await s.adminToken(), body: { symbol: 'DEMOA', side: 'buy', quantity: 1, qty: 5 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('PI5_ERR_BAD_REQUEST');
    expect(r.body.error.message).toBe('body: unknown field "qty"');
  });

  it('names a missing field with its path', async () => {
    const r = await s.request('POST', '/api/v1/orders', { token: await s.adminToken(), body: { side: 'buy', quantity: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("body must have required property 'symbol'");
  });

  it('keeps the bearer placeholder of the OpenAPI description in a code span', async () => {
    const doc = await s.request('GET', '/docs/json');
    const text = String(doc.body.info.description);
    expect(text).toContain('`Authorization: Bearer <accessToken>`');
    // Outside code spans no "<...>" is left for the Markdown renderer to swallow as HTML.
    expect(text.replace(/`[^`]*`/g, '')).not.toMatch(/<[a-zA-Z]/);
  });
});

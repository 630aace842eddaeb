// `pi5 doctor` against broken setups: database down, schema unmigrated, Redis down, bad config, disk nearly full
// (an injected free-space probe) and no clock sync; and against a working one. Real database and Redis otherwise.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realProbes } from '../../../src/cli/commands/doctor.js';
import { runDoctor, type DoctorCheck } from '../../../src/ops/doctor.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { createTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../../helpers/services.js';

const hasPg = await postgresAvailable();
const hasRedis = await redisAvailable();
let dataDir: string;
let db: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pi5-doctor-'));
  if (hasPg) db = await createTestDatabase('pi5_doctor');
});
afterAll(async () => {
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const byName = (checks: readonly DoctorCheck[]): Record<string, DoctorCheck> => Object.fromEntries(checks.map((c) => [c.name, c]));
const GB = 2 ** 30;

function probes(env: Record<string, string>, over: Partial<ReturnType<typeof realProbes>> = {}): ReturnType<typeof realProbes> {
  return { ...realProbes(undefined, { PI5_DATA_DIR: dataDir, ...env }), clockSynced: async () => true, ...over };
}

describe.skipIf(!hasPg || !hasRedis)('pi5 doctor', () => {
  it('a database that is down fails the database check and says to start PostgreSQL', async () => {
    const c = byName(await runDoctor(probes({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' })));
    expect(c.database).toMatchObject({ status: 'fail', fix: expect.stringMatching(/start PostgreSQL/) });
    expect(c.migrations).toBeUndefined();
  });

  it('an unmigrated database fails the migrations check with `pi5 db migrate`, and passes once migrated', async () => {
    let c = byName(await runDoctor(probes({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL })));
    expect(c.database?.status).toBe('ok');
    expect(c.migrations).toMatchObject({ status: 'fail', fix: expect.stringMatching(/pi5 db migrate/) });
    const d = await openDatabase({ databaseUrl: db.url });
    await migrate(d).finally(() => d.close());
    c = byName(await runDoctor(probes({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL })));
    expect(c.migrations?.status).toBe('ok');
    expect(c.timescaledb?.status).not.toBe('fail');
    expect(c.redis?.status).toBe('ok');
    expect(c.node?.status).toBe('ok');
    expect(c.disk?.detail).toMatch(/GiB free/);
    expect(c.pg_dump?.status).toBe('ok');
  });

  it('a missing or too old pg_dump warns that backups will fail, with the package to install', async () => {
    const none = byName(await runDoctor(probes({ DATABASE_URL: db.url }, { pgDumpMajor: async () => null })));
    expect(none.pg_dump).toMatchObject({ status: 'warn', fix: expect.stringMatching(/postgresql-client/) });
    const old = byName(await runDoctor(probes({ DATABASE_URL: db.url }, { pgDumpMajor: async () => 9 })));
    expect(old.pg_dump).toMatchObject({ status: 'warn', fix: expect.stringMatching(/PI5_PG_BIN_DIR=\/usr\/lib\/postgresql\/\d+\/bin/) });
  });

  it('a nearly full disk fails, a filling one warns', async () => {
    const full = byName(await runDoctor(probes({ DATABASE_URL: db.url }, { diskSpace: async () => ({ freeBytes: 0.3 * GB, totalBytes: 64 * GB }) })));
    expect(full.disk).toMatchObject({ status: 'fail', fix: expect.stringMatching(/free space/) });
    const filling = byName(await runDoctor(probes({ DATABASE_URL: db.url }, { diskSpace: async () => ({ freeBytes: 6 * GB, totalBytes: 64 * GB }) })));
    expect(filling.disk?.status).toBe('warn');
  });

  it('Redis down, an unsynchronized clock, no backups and an old Node are each reported with a fix', async () => {
    const c = byName(await runDoctor(probes({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' }, {
      clockSynced: async () => false, nodeVersion: 'v18.19.0', newestBackupAgeMs: async () => null,
    })));
    expect(c.redis).toMatchObject({ status: 'fail', fix: expect.stringMatching(/start Redis/) });
    expect(c.clock).toMatchObject({ status: 'fail', fix: expect.stringMatching(/timedatectl set-ntp true/) });
    expect(c.backups?.status).toBe('warn');
    expect(c.node?.status).toBe('fail');
  });

  it('a bad configuration value stops the checks at the config line, naming the variable', async () => {
    const checks = await runDoctor(probes({ PI5_PORT: 'eighty' }));
    expect(checks.map((c) => c.name)).toEqual(['node', 'config']);
    expect(checks[1]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/PI5_PORT/) });
  });
});

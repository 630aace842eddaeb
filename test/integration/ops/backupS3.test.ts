// Scheduled backups copied to an S3-compatible bucket through the AWS SDK (the path users run), against a local
// server speaking S3's REST format: every backup lands in the bucket under the prefix, the bucket is rotated to the
// same kept set as the folder, a bucket outage fails the run (and the next check retries), a bad URL is refused.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupScheduler } from '../../../src/ops/backupScheduler.js';
import { parseS3Url, s3Target } from '../../../src/ops/s3Target.js';
import { expectCode } from '../../helpers/errors.js';
import { startFakeS3, type FakeS3 } from './fakeS3.js';

const HOUR = 3_600_000;
let s3: FakeS3;
const dirs: string[] = [];
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  s3 = await startFakeS3(4); // small pages, so listing follows continuation tokens
  process.env.AWS_ACCESS_KEY_ID = 'AKIDPI5TEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret-for-the-fake';
});
afterAll(async () => {
  await s3.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pi5-s3-'));
  dirs.push(d);
  return d;
}

describe('backups to an S3-compatible bucket', () => {
  it('copies each daily backup under the prefix and rotates the bucket like the folder', async () => {
    const dir = await tempDir();
    let now = Date.UTC(2026, 0, 1, 3);
    let n = 0;
    const target = await s3Target({ url: 's3://pi5-backups/box-1/', endpoint: s3.endpoint, region: 'eu-central-1' });
    const s = new BackupScheduler({ dir, targets: [target], extension: 'dump', now: () => now, take: async (file) => { const body = `backup ${++n}`; await writeFile(file, body); return { bytes: body.length }; } });
    for (const end = Date.UTC(2026, 0, 21, 3); now <= end; now += HOUR) await s.runIfDue();
    expect(n).toBe(21);
    const local = (await readdir(dir)).sort();
    const objects = s3.buckets.get('pi5-backups') ?? new Map<string, Buffer>();
    expect([...objects.keys()].sort()).toEqual(local.map((name) => `box-1/${name}`));
    expect(local.length).toBeLessThan(21); // rotation removed some, in both places
    for (const name of local) expect(objects.get(`box-1/${name}`)?.toString()).toBe(await readFile(join(dir, name), 'utf8'));
    expect(s3.authorizations.every((a) => a.startsWith('AWS4-HMAC-SHA256 Credential=AKIDPI5TEST/'))).toBe(true);
    expect(s3.authorizations.some((a) => a.includes('/eu-central-1/s3/aws4_request'))).toBe(true);
  });

  it('a bucket outage fails the run with the bucket named; the next check retries and succeeds', async () => {
    const dir = await tempDir();
    let now = Date.UTC(2026, 5, 1, 3);
    const target = await s3Target({ url: 's3://outage', endpoint: s3.endpoint });
    const s = new BackupScheduler({ dir, targets: [target], extension: 'dump', now: () => now, take: async (file) => { await writeFile(file, 'x'); return { bytes: 1 }; } });
    s3.down = true;
    try {
      expect(await s.runNow()).toBe(false);
    } finally {
      s3.down = false;
    }
    expect(s.status()).toMatchObject({ failures: 1, successes: 0 });
    expect(s.status().lastError).toContain('copy to s3://outage/ failed');
    now += HOUR;
    expect(await s.runIfDue()).toBe(true);
    // Rotation keeps the newest of the day: the retry's file, in the folder and in the bucket alike.
    const local = await readdir(dir);
    expect(local).toHaveLength(1);
    expect([...(s3.buckets.get('outage')?.keys() ?? [])]).toEqual(local);
  });

  it('refuses a malformed bucket URL naming the setting', () => {
    expect(expectCode(() => parseS3Url('https://bucket/x'), 'PI5_ERR_BAD_CONFIG').message).toMatch(/^backupS3Url: expected s3:\/\/bucket/);
    expect(expectCode(() => parseS3Url('s3://Bad_Bucket'), 'PI5_ERR_BAD_CONFIG').message).toContain('"s3://Bad_Bucket"');
    expect(parseS3Url('s3://my.bucket-1/a/b/')).toEqual({ bucket: 'my.bucket-1', prefix: 'a/b/' });
    expect(parseS3Url('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
  });
});

// Backup rotation: the scheduler run by a simulated clock over two months keeps exactly the promised set
// (7 daily, 4 weekly, 6 monthly), in its folder and in the copy folder.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupsToKeep } from '../../../src/ops/backupRotation.js';
import { folderTarget } from '../../../src/ops/backupTargets.js';
import { BackupScheduler, backupFileName, backupTakenAt, DAY_MS } from '../../../src/ops/backupScheduler.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pi5-backups-'));
  dirs.push(d);
  return d;
}

const at = (iso: string): number => Date.parse(iso);
const names = (isos: readonly string[]): string[] => isos.map((i) => backupFileName(at(i), 'dump')).sort();

describe('backup rotation', () => {
  it('names a backup by its UTC time and reads the time back', () => {
    const t = at('2026-03-01T03:00:05Z');
    expect(backupFileName(t, 'tar.gz')).toBe('pi5-backup-20260301T030005Z.tar.gz');
    expect(backupTakenAt(backupFileName(t, 'dump'))).toBe(t);
    expect(backupTakenAt('notes.txt')).toBeNull();
  });

  it('daily runs from 1 January to 1 March keep the last 7 days, the newest of 4 ISO weeks and of each month', async () => {
    const dir = await tempDir();
    const copyDir = await tempDir();
    let now = at('2026-01-01T03:00:00Z');
    const s = new BackupScheduler({ dir, targets: [folderTarget(copyDir)], extension: 'dump', now: () => now, take: async (file) => { await writeFile(file, 'x'); return { bytes: 1 }; } });
    await s.load();
    let taken = 0;
    // Checked every hour, as the server does: one backup a day, never two.
    for (; now <= at('2026-03-01T03:00:00Z'); now += 3_600_000) if (await s.runIfDue()) taken++;
    expect(taken).toBe(60);
    const expected = names([
      // the last 7 days (Sunday 1 March back to Monday 23 February: also the newest of that ISO week and of March)
      '2026-02-23T03:00:00Z', '2026-02-24T03:00:00Z', '2026-02-25T03:00:00Z', '2026-02-26T03:00:00Z',
      '2026-02-27T03:00:00Z', '2026-02-28T03:00:00Z', '2026-03-01T03:00:00Z',
      // the newest of the three weeks before (Sundays); 28 February is February's newest, 31 January January's
      '2026-02-22T03:00:00Z', '2026-02-15T03:00:00Z', '2026-02-08T03:00:00Z', '2026-01-31T03:00:00Z',
    ]);
    expect((await readdir(dir)).sort()).toEqual(expected);
    expect((await readdir(copyDir)).sort()).toEqual(expected);
    expect(s.status()).toMatchObject({ kept: 11, successes: 60, failures: 0, lastSuccessAtMs: at('2026-03-01T03:00:00Z') });
  });

  it('a gap in backups deletes nothing old: the kept set counts days that have a backup', () => {
    const entries = [0, 1, 2, 40, 41].map((d) => ({ name: `b${d}`, takenAtMs: at('2026-01-01T00:00:00Z') + d * DAY_MS }));
    expect([...backupsToKeep(entries, { daily: 7, weekly: 0, monthly: 0 })].sort()).toEqual(['b0', 'b1', 'b2', 'b40', 'b41']);
  });

  it('records a failed backup in the status without throwing, and retries at the next check', async () => {
    const dir = await tempDir();
    let now = at('2026-01-01T03:00:00Z');
    let fail = true;
    const told: string[] = [];
    const s = new BackupScheduler({ dir, extension: 'dump', now: () => now, onFailure: (file, error) => told.push(`${file}: ${error}`), take: async (file) => {
      if (fail) throw new Error('disk full');
      await writeFile(file, 'x');
      return { bytes: 1 };
    } });
    expect(await s.runIfDue()).toBe(false);
    expect(s.status()).toMatchObject({ lastError: 'disk full', failures: 1, lastSuccessAtMs: null });
    expect(told).toEqual(['pi5-backup-20260101T030000Z.dump: disk full']);
    fail = false;
    now += 3_600_000;
    expect(await s.runIfDue()).toBe(true);
    expect(s.status()).toMatchObject({ failures: 1, successes: 1, lastSuccessAtMs: now });
    expect(told).toHaveLength(1);
  });

  it('a restarted scheduler reads its last backup from the folder and waits a day from it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, backupFileName(at('2026-01-01T03:00:00Z'), 'dump')), 'x');
    let now = at('2026-01-01T20:00:00Z');
    let taken = 0;
    const s = new BackupScheduler({ dir, extension: 'dump', now: () => now, take: async (file) => { taken++; await writeFile(file, 'x'); return { bytes: 1 }; } });
    await s.load();
    expect(await s.runIfDue()).toBe(false);
    now = at('2026-01-02T03:00:00Z');
    expect(await s.runIfDue()).toBe(true);
    expect(taken).toBe(1);
  });
});

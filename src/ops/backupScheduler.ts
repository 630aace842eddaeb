// Daily backups inside the running server: takes one when the newest is a day old, copies it to the optional
// targets (another folder, an S3 bucket), rotates the folder and each target to the retention policy, and keeps a
// status for /ready and /metrics. Clock injected.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/log.js';
import { backupsToKeep, DEFAULT_RETENTION, type BackupEntry, type RetentionPolicy } from './backupRotation.js';
import { folderTarget, type BackupTarget } from './backupTargets.js';

const NAME = /^pi5-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(dump|tar\.gz)$/;
export const DAY_MS = 86_400_000;

export function backupFileName(takenAtMs: number, extension: string): string {
  return `pi5-backup-${new Date(takenAtMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.${extension}`;
}

/** The time in a backup's name (names are the record; file times change on copies). Null: not ours. */
export function backupTakenAt(name: string): number | null {
  const m = NAME.exec(name);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export async function listBackups(dir: string): Promise<BackupEntry[]> {
  return backupsIn(folderTarget(dir));
}

async function backupsIn(target: BackupTarget): Promise<BackupEntry[]> {
  const names = await target.list();
  return names.flatMap((name) => {
    const takenAtMs = backupTakenAt(name);
    return takenAtMs === null ? [] : [{ name, takenAtMs }];
  });
}

export interface BackupStatus {
  readonly lastSuccessAtMs: number | null;
  readonly lastFailureAtMs: number | null;
  readonly lastError: string | null;
  readonly lastBytes: number | null;
  readonly lastDurationMs: number | null;
  readonly kept: number;
  readonly successes: number;
  readonly failures: number;
}

export interface BackupSchedulerOptions {
  readonly dir: string;
  /** Where each backup is copied (another folder, an S3 bucket), rotated alike. A failed copy fails the run. */
  readonly targets?: readonly BackupTarget[];
  readonly retention?: RetentionPolicy;
  readonly intervalMs?: number;
  readonly extension: string;
  readonly now: () => number;
  /** Writes one backup to the given path. */
  readonly take: (file: string) => Promise<{ bytes: number }>;
  readonly log?: Logger;
  /** Told of each failed run (the node notifies: docs/notifications.md); never awaited, never throws into the run. */
  readonly onFailure?: (file: string, error: string) => void;
}

export class BackupScheduler {
  private st: BackupStatus = { lastSuccessAtMs: null, lastFailureAtMs: null, lastError: null, lastBytes: null, lastDurationMs: null, kept: 0, successes: 0, failures: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;

  constructor(private readonly opts: BackupSchedulerOptions) {}

  status(): BackupStatus {
    return this.st;
  }

  /** Reads the folder, so a restarted server knows its last backup and does not take another at once. */
  async load(): Promise<void> {
    const entries = await listBackups(this.opts.dir);
    const newest = Math.max(...entries.map((e) => e.takenAtMs));
    this.st = { ...this.st, kept: entries.length, lastSuccessAtMs: entries.length === 0 ? this.st.lastSuccessAtMs : newest };
  }

  /** Takes a backup when none was taken within the interval (a day); true when it did. One at a time. */
  runIfDue(): Promise<boolean> {
    const last = this.st.lastSuccessAtMs;
    if (last !== null && this.opts.now() - last < (this.opts.intervalMs ?? DAY_MS)) return Promise.resolve(false);
    return this.runNow();
  }

  /** Takes a backup now (or joins the one under way) and rotates; false when it failed (see status()). */
  runNow(): Promise<boolean> {
    this.running ??= this.backupOnce().finally(() => (this.running = null));
    return this.running;
  }

  /** Failures are recorded in the status (and logged), not thrown: the schedule goes on. */
  private async backupOnce(): Promise<boolean> {
    const started = this.opts.now();
    const name = backupFileName(started, this.opts.extension);
    try {
      await mkdir(this.opts.dir, { recursive: true });
      const local = join(this.opts.dir, name);
      const { bytes } = await this.opts.take(local);
      for (const target of this.opts.targets ?? []) {
        try {
          await target.put(local, name);
          await this.rotate(target);
        } catch (e) {
          throw new Error(`copy to ${target.name} failed: ${(e as Error).message}`);
        }
      }
      const kept = await this.rotate(folderTarget(this.opts.dir));
      this.st = { ...this.st, lastSuccessAtMs: started, lastBytes: bytes, lastDurationMs: this.opts.now() - started, kept, successes: this.st.successes + 1 };
      this.opts.log?.info('backup taken', { file: name, bytes });
      return true;
    } catch (e) {
      const message = (e as Error).message;
      this.st = { ...this.st, lastFailureAtMs: started, lastError: message, failures: this.st.failures + 1 };
      this.opts.log?.error('backup failed', { file: name, error: message });
      try {
        this.opts.onFailure?.(name, message);
      } catch {
        // A listener's failure must not turn a recorded backup failure into a crash of the schedule.
      }
      return false;
    }
  }

  /** Deletes what the policy does not keep (of our backup names only); returns how many backups remain. */
  async rotate(target: BackupTarget): Promise<number> {
    const entries = await backupsIn(target);
    const keep = backupsToKeep(entries, this.opts.retention ?? DEFAULT_RETENTION);
    for (const e of entries) if (!keep.has(e.name)) await target.remove(e.name);
    return keep.size;
  }

  /** Checks every `checkEveryMs` (default hourly); the first check comes one period after the start, not at once. */
  start(checkEveryMs = 3_600_000): void {
    this.timer = setInterval(() => void this.runIfDue(), checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

// Which backups to keep: the newest of each of the last N days, ISO weeks and months (UTC) that have a backup,
// as restic's --keep-daily/--keep-weekly/--keep-monthly count them, so a gap in backups never deletes old ones.

export interface RetentionPolicy {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

/** Seven days, then a month of weeks, then half a year of months: about 17 files at most. */
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 6 };

export interface BackupEntry {
  readonly name: string;
  readonly takenAtMs: number;
}

const DAY_MS = 86_400_000;

const dayKey = (ms: number): number => Math.floor(ms / DAY_MS);
// 1970-01-01 was a Thursday: three days on, the count turns at each Monday (ISO weeks).
const weekKey = (ms: number): number => Math.floor((dayKey(ms) + 3) / 7);
const monthKey = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** Newest first; the newest entry of each of the first `n` buckets. */
function newestPerBucket(sorted: readonly BackupEntry[], key: (ms: number) => number, n: number): string[] {
  const out: string[] = [];
  let last: number | null = null;
  for (const e of sorted) {
    if (out.length >= n) break;
    const k = key(e.takenAtMs);
    if (k === last) continue;
    last = k;
    out.push(e.name);
  }
  return out;
}

/** The names to keep; every other backup may be deleted. The newest backup is always kept. */
export function backupsToKeep(entries: readonly BackupEntry[], policy: RetentionPolicy = DEFAULT_RETENTION): Set<string> {
  const sorted = [...entries].sort((a, b) => b.takenAtMs - a.takenAtMs || b.name.localeCompare(a.name));
  const keep = new Set<string>([
    ...newestPerBucket(sorted, dayKey, policy.daily),
    ...newestPerBucket(sorted, weekKey, policy.weekly),
    ...newestPerBucket(sorted, monthKey, policy.monthly),
  ]);
  const newest = sorted[0];
  if (newest !== undefined) keep.add(newest.name);
  return keep;
}

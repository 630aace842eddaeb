// Backup status as Prometheus metrics, read from the scheduler at each scrape (alert: last success older than 26 h).

import { Counter, Gauge, type Registry } from 'prom-client';
import type { BackupStatus } from './backupScheduler.js';

export function registerBackupMetrics(registry: Registry, source: { status(): BackupStatus }): void {
  const gauge = (name: string, help: string, read: (s: BackupStatus) => number | null): void => {
    // 0 before the first backup, so the series always exists for dashboards and alert rules.
    new Gauge({ name, help, registers: [registry], collect() { this.set(read(source.status()) ?? 0); } });
  };
  gauge('pi5_backup_last_success_timestamp_seconds', 'Unix time of the newest successful backup (0 before the first)', (s) => (s.lastSuccessAtMs === null ? null : s.lastSuccessAtMs / 1000));
  gauge('pi5_backup_last_size_bytes', 'Size of the newest backup taken by this process', (s) => s.lastBytes);
  gauge('pi5_backup_last_duration_seconds', 'How long the newest backup took', (s) => (s.lastDurationMs === null ? null : s.lastDurationMs / 1000));
  gauge('pi5_backup_files', 'Backups kept in the backup folder after rotation', (s) => s.kept);
  // Counters that mirror the scheduler's own counts: each scrape adds what happened since the last one.
  let seen = { ok: 0, failed: 0 };
  new Counter({ name: 'pi5_backup_runs_total', help: 'Scheduled backups taken, by outcome', labelNames: ['outcome'], registers: [registry], collect() {
    const s = source.status();
    this.inc({ outcome: 'ok' }, s.successes - seen.ok);
    this.inc({ outcome: 'failed' }, s.failures - seen.failed);
    seen = { ok: s.successes, failed: s.failures };
  } });
}

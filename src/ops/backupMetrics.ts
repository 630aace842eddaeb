// Backup status as Prometheus metrics, read from the scheduler at each scrape (alert: last success older than 26 h).

import { Gauge, type Registry } from 'prom-client';
import type { BackupStatus } from './backupScheduler.js';
import { registerScrapedCounter } from './scrapedCounter.js';

export function registerBackupMetrics(registry: Registry, source: { status(): BackupStatus }): void {
  const gauge = (name: string, help: string, read: (s: BackupStatus) => number | null): void => {
    // 0 before the first backup, so the series always exists for dashboards and alert rules.
    new Gauge({ name, help, registers: [registry], collect() { this.set(read(source.status()) ?? 0); } });
  };
  gauge('pi5_backup_last_success_timestamp_seconds', 'Unix time of the newest successful backup (0 before the first)', (s) => (s.lastSuccessAtMs === null ? null : s.lastSuccessAtMs / 1000));
  gauge('pi5_backup_last_size_bytes', 'Size of the newest backup taken by this process', (s) => s.lastBytes);
  gauge('pi5_backup_last_duration_seconds', 'How long the newest backup took', (s) => (s.lastDurationMs === null ? null : s.lastDurationMs / 1000));
  gauge('pi5_backup_files', 'Backups kept in the backup folder after rotation', (s) => s.kept);
  registerScrapedCounter(registry, 'pi5_backup_runs_total', 'Scheduled backups taken, by outcome', 'outcome', () => {
    const s = source.status();
    return [['ok', s.successes], ['failed', s.failures]];
  });
}

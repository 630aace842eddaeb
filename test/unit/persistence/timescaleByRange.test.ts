import { describe, expect, it } from 'vitest';
import { TIMESCALE_MIGRATIONS, forTimescaleVersion, supportsByRange } from '../../../src/persistence/migrations/timescaleMigrations.js';

describe('by_range hypertable calls by extension version', () => {
  it('supports by_range from 2.13 on, not before nor when the version is unknown', () => {
    expect(['2.12.2', '2.9.0', '1.7.5', null, 'dev'].map(supportsByRange)).toEqual([false, false, false, false, false]);
    expect(['2.13.0', '2.17.2', '3.0.0'].map(supportsByRange)).toEqual([true, true, true]);
  });

  it('rewrites every create_hypertable call of the migrations on 2.13+, and leaves them as written before', () => {
    const sql = TIMESCALE_MIGRATIONS.map((m) => m.sql).join('\n');
    const calls = sql.match(/create_hypertable\([^)]*\)/g) ?? [];
    expect(calls).toHaveLength(2);
    expect(forTimescaleVersion(sql, '2.12.2')).toBe(sql);
    const rewritten = forTimescaleVersion(sql, '2.14.1');
    expect(rewritten).toContain(`create_hypertable('bars', by_range('ts', interval '7 days'), migrate_data => true)`);
    expect(rewritten).toContain(`create_hypertable('ticks', by_range('ts', interval '1 day'), migrate_data => true)`);
    expect(rewritten).not.toContain('chunk_time_interval =>');
  });
});

// Retention on a TimescaleDB store: which bar timeframes the daily `pi5_bar_retention` job deletes and how old a bar
// must be (migrations 1001, 1005, 1006), and the age after which whole tick chunks are dropped (a plain retention
// policy on `ticks`). Off unless set: imported history is the trader's own and a deleted minute or trade cannot be
// fetched back from every provider (docs/storage.md, "Retention").

import { Pi5Error } from '../core/errors.js';
import { parseTimeframe } from '../model/timeframe.js';
import type { Database } from './database.js';

export interface BarRetention {
  /** Timeframes whose old bars are deleted; empty: retention is off. */
  readonly timeframes: readonly string[];
  /** How old a bar must be to go, as PostgreSQL writes the interval (e.g. `2 years`); null when off. */
  readonly keep: string | null;
}

const JOB = `select job_id, config from timescaledb_information.jobs where proc_name = 'pi5_bar_retention'`;

function needTimescale(db: Database): void {
  if (!db.hasTimescale) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'bar retention needs TimescaleDB (this database has no usable timescaledb extension; see pi5 doctor): without it nothing is ever deleted');
}

async function job(db: Database): Promise<{ job_id: number; config: { timeframes?: unknown; keep?: unknown } | null }> {
  const [row] = await db.query<{ job_id: number; config: { timeframes?: unknown; keep?: unknown } | null }>(JOB);
  if (row === undefined) throw new Pi5Error('PI5_ERR_MIGRATION', 'the retention job pi5_bar_retention is missing: run pi5 db migrate');
  return row;
}

export async function readRetention(db: Database): Promise<BarRetention> {
  needTimescale(db);
  const { config } = await job(db);
  const timeframes = Array.isArray(config?.timeframes) ? config.timeframes.filter((t): t is string => typeof t === 'string') : [];
  const keep = typeof config?.keep === 'string' && timeframes.length > 0 ? config.keep : null;
  return { timeframes: keep === null ? [] : timeframes, keep };
}

/**
 * Sets what the job deletes (`keep` null or no timeframes: nothing). The interval is checked by PostgreSQL and must
 * be at least a day, so a typo such as `2 minutes` cannot empty the store at the next run.
 */
export async function setRetention(db: Database, timeframes: readonly string[], keep: string | null): Promise<BarRetention> {
  needTimescale(db);
  const { job_id } = await job(db);
  if (keep === null || timeframes.length === 0) {
    await db.query('select alter_job($1, config => $2::jsonb)', [job_id, JSON.stringify({ timeframes: [], keep: null })]);
    return readRetention(db);
  }
  for (const tf of timeframes) {
    if (parseTimeframe(tf) === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `retention timeframe ${JSON.stringify(tf)} is not a timeframe (e.g. 1m, 5m, 1h)`);
  }
  const normalized = await checkedInterval(db, keep);
  await db.query('select alter_job($1, config => $2::jsonb)', [job_id, JSON.stringify({ timeframes: [...new Set(timeframes)], keep: normalized })]);
  return readRetention(db);
}

/** `keep` as PostgreSQL writes it, refused unless it is an interval of at least a day (a typo cannot empty the store). */
async function checkedInterval(db: Database, keep: string): Promise<string> {
  try {
    const [r] = await db.query<{ keep: string; days: number }>(`select $1::interval::text as keep, extract(epoch from $1::interval)::float8 / 86400 as days`, [keep]);
    if (r === undefined || !(r.days >= 1)) throw new Error('shorter than a day');
    return r.keep;
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `retention --keep ${JSON.stringify(keep)} is not an interval of at least a day (e.g. "2 years", "18 months"): ${(e as Error).message}`);
  }
}

const TICK_POLICY = `select config->>'drop_after' as keep from timescaledb_information.jobs where proc_name = 'policy_retention' and hypertable_name = 'ticks'`;

/** How old tick chunks must be to be dropped; null: never (the default). */
export async function readTickRetention(db: Database): Promise<string | null> {
  needTimescale(db);
  const [row] = await db.query<{ keep: string | null }>(TICK_POLICY);
  return row?.keep ?? null;
}

/** Drops whole tick chunks older than `keep` daily (null: never). */
export async function setTickRetention(db: Database, keep: string | null): Promise<string | null> {
  needTimescale(db);
  const normalized = keep === null ? null : await checkedInterval(db, keep);
  await db.transaction(async (tx) => {
    await tx.query(`select remove_retention_policy('ticks', if_exists => true)`);
    if (normalized !== null) await tx.query(`select add_retention_policy('ticks', $1::interval)`, [normalized]);
  });
  return readTickRetention(db);
}

// BacktestJobs on PGlite in memory with real worker threads: a run goes queued → running → done with its
// result JSON and HTML report stored; bad requests fail up front with coded errors; cancel stops a worker;
// runs left behind by a crashed process are marked failed on start-up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestJobs, INTERRUPTED_ERROR, type BacktestProgressEvent } from '../../../../src/backtest/jobs/backtestJobs.js';
import { createLogger } from '../../../../src/core/log.js';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import { BarStore } from '../../../../src/persistence/barStore.js';
import type { Database } from '../../../../src/persistence/database.js';
import { migrate } from '../../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../../src/persistence/openDatabase.js';
import { waitUntil } from '../../../helpers/budget.js';

let db: Database;
let jobs: BacktestJobs;
const log = createLogger('silent');

beforeAll(async () => {
  db = await openDatabase({ inMemory: true });
  await migrate(db);
  await new BarStore(db).ingest([generateSyntheticBars({ symbol: 'STORED', seed: 5, bars: 500, start: Date.UTC(2020, 0, 1) })]);
  jobs = new BacktestJobs({ db, log });
});

afterAll(async () => {
  await jobs.close();
  await db.close();
});

const demo = { strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['AAA', 'BBB'], source: 'demo', demoBars: 400, size: '10%' };

describe('BacktestJobs', () => {
  it('runs a demo backtest on a worker and stores metrics, the §12 result JSON and the HTML report', async () => {
    const events: BacktestProgressEvent[] = [];
    const off = jobs.onProgress((e) => events.push(e));
    const job = await jobs.start(demo, null);
    expect(job).toMatchObject({ strategy: 'sma-cross', status: 'queued', progress: 0, error: null });
    expect(job.config).toMatchObject({ symbols: ['AAA', 'BBB'], source: 'demo', demoBars: 400, params: { fast: 5, slow: 20, ma: 'sma' } });
    const done = await jobs.settled(job.id);
    off();
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'done', progress: 1 });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt ?? Infinity);
    expect(typeof done.metrics?.finalEquity).toBe('number');
    const result = JSON.parse(await jobs.result(job.id)) as { version: string; metrics: { tradeCount: number }; trades: unknown[]; equityCurve: unknown[] };
    expect(result.metrics.tradeCount).toBeGreaterThan(0);
    expect(result.trades.length).toBe(result.metrics.tradeCount);
    expect(result.equityCurve.length).toBeGreaterThan(300);
    expect(await jobs.htmlReport(job.id)).toMatch(/^<!DOCTYPE html>.*sma-cross/s);
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'running', 'done']));
    expect(events.filter((e) => e.id === job.id).at(-1)).toEqual({ id: job.id, status: 'done', progress: 1, error: null });
  });

  it('runs on bars from the store, within from/to', async () => {
    const job = await jobs.start({ strategy: 'buy-and-hold', symbols: ['stored'], from: '2020-03-02', to: '2020-06-30' }, null);
    const done = await jobs.settled(job.id);
    expect(done.status).toBe('done');
    const result = JSON.parse(await jobs.result(job.id)) as { equityCurve: [string, number][] };
    expect(result.equityCurve[0]?.[0]).toBe('2020-03-02T00:00:00.000Z');
    expect(result.equityCurve.at(-1)?.[0]).toBe('2020-06-30T00:00:00.000Z');
  });

  it('refuses bad requests with coded errors before queueing anything', async () => {
    const before = (await jobs.list({ limit: 100, offset: 0 })).total;
    await expect(jobs.start({ ...demo, strategy: 'nope' }, null)).rejects.toMatchObject({ code: 'PI5_ERR_UNKNOWN_STRATEGY' });
    await expect(jobs.start({ ...demo, params: { fast: 'x' } }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PARAM' });
    await expect(jobs.start({ ...demo, params: { nope: 1 } }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PARAM' });
    await expect(jobs.start({ ...demo, commission: 'free' }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await expect(jobs.start({ ...demo, symbols: [] }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await expect(jobs.start({ ...demo, from: '2021-13-01' }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await expect(jobs.start({ ...demo, strategy: 'signals' }, null)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await expect(jobs.start({ strategy: 'sma-cross', symbols: ['NOTSTORED'] }, null)).rejects.toMatchObject({ code: 'PI5_ERR_NO_DATA' });
    expect((await jobs.list({ limit: 100, offset: 0 })).total).toBe(before);
  });

  it('records a run that fails in the worker as failed with its error code', async () => {
    const job = await jobs.start({ ...demo, from: '2030-01-01' }, null);
    const done = await jobs.settled(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^PI5_ERR_NO_DATA: /);
    await expect(jobs.result(job.id)).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
  });

  it('runs one at a time: a second run waits queued; cancel stops the running worker and drops the queued run', async () => {
    const long = await jobs.start({ ...demo, symbols: ['L1', 'L2', 'L3'], timeframe: '1m', demoBars: 1_000_000 }, null);
    const next = await jobs.start(demo, null);
    expect((await jobs.get(next.id)).status).toBe('queued');
    await waitFor(async () => (await jobs.get(long.id)).status === 'running');
    const canceled = await jobs.cancel(long.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.finishedAt).not.toBeNull();
    await expect(jobs.cancel(long.id)).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
    await expect(jobs.htmlReport(long.id)).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
    expect((await jobs.settled(next.id)).status).toBe('done');
    const third = await jobs.start({ ...demo, symbols: ['L1', 'L2', 'L3'], timeframe: '1m', demoBars: 1_000_000 }, null);
    const fourth = await jobs.start(demo, null);
    expect((await jobs.cancel(fourth.id)).status).toBe('canceled');
    expect((await jobs.cancel(third.id)).status).toBe('canceled');
  });

  it('lists runs newest first with filters and paging', async () => {
    const all = await jobs.list({ limit: 100, offset: 0 });
    expect(all.items.map((j) => j.id)).toEqual([...all.items.map((j) => j.id)].sort((a, b) => b - a));
    const canceled = await jobs.list({ limit: 1, offset: 0, status: 'canceled' });
    expect(canceled.total).toBe(3);
    expect(canceled.items).toHaveLength(1);
    expect((await jobs.list({ limit: 10, offset: 0, strategy: 'buy-and-hold' })).items.map((j) => j.strategy)).toEqual(['buy-and-hold']);
    await expect(jobs.get(999_999)).rejects.toMatchObject({ code: 'PI5_ERR_NOT_FOUND' });
  });

  it('marks runs a crashed process left queued or running as failed on start-up', async () => {
    await db.query(`insert into backtest_runs (strategy_ref, config, status) values ('sma-cross', '{}', 'running'), ('sma-cross', '{}', 'queued')`);
    const restarted = new BacktestJobs({ db, log });
    expect(await restarted.failInterrupted()).toBe(2);
    const failed = await restarted.list({ limit: 2, offset: 0 });
    expect(failed.items.map((j) => [j.status, j.error])).toEqual([['failed', INTERRUPTED_ERROR], ['failed', INTERRUPTED_ERROR]]);
  });
});

const waitFor = (cond: () => Promise<boolean>): Promise<void> => waitUntil('the condition', cond);

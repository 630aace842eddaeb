// API optimizations left unfinished by a server resume at its next start, on PGlite and on PostgreSQL. Two
// runs are left behind by the first server: one stopped with the server (interrupted wherever it was), and
// one as a killed server leaves it (status running, its first 24 trials stored; written through the
// repository, so the test does not depend on how far a run gets before a stop). A second server on the same
// data folder / database resumes both, reusing every stored trial (not run again) and running only the
// missing ones; each result and trial table equals the uninterrupted run's.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBarsCsv } from '../../../src/data/csv/index.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { OptimizationRunRepository, type StoredTrial } from '../../../src/persistence/repositories/optimizationRuns.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { STORE_BACKENDS } from '../../helpers/services.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
// Small: what is tested is which trials are reused and run again, not how many (each costs CPU on every run here).
const PLANNED = 48;
const REQUEST = {
  strategy: 'sma-cross', symbols: ['NVDA'], timeframe: '1d', from: '2004-01-01', to: '2009-12-31', size: '100',
  grid: { fast: '2:25:1', slow: '45:50:5' }, objective: 'sharpe', constraints: ['tradeCount >= 5'], workers: 1,
};


type Run = Record<string, unknown> & { id: number; status: string; trials: number; resumes: number; trialsReused: number };

describe.each(STORE_BACKENDS)('optimizations left unfinished by a server on $name', { timeout: 600_000 }, (backend) => {
  const servers: TestServer[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  let dataDir = '';

  afterAll(async () => {
    for (const s of servers) await s.close();
    await cleanup();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('resume at the next start, reusing their stored trials, and end as an uninterrupted run does', async () => {
    const b = await backend.env();
    cleanup = b.cleanup;
    dataDir = await mkdtemp(join(tmpdir(), 'pi5-optresume-'));
    const first = await startTestServer(b.env, { dataDir });
    servers.push(first);
    let srv = first;
    // The admin's token: who starts the runs is not what is tested here (each user made costs password hashes).
    let token = await first.adminToken();
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const r = await srv.request('GET', `/api/v1/optimizations${path}`, { token });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as Record<string, unknown>;
    };
    const settle = async (id: number): Promise<Run> => {
      for (;;) {
        const r = (await get(`/${id}`)) as Run;
        if (!['queued', 'running'].includes(r.status)) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const table = async (id: number): Promise<StoredTrial[]> => (await get(`/${id}/trials?limit=1000&sort=trial&dir=asc`)).items as StoredTrial[];
    const start = async (): Promise<number> => {
      const r = await srv.request('POST', '/api/v1/optimizations', { token, body: REQUEST });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      return r.body.id as number;
    };

    await new BarStore(first.db).ingest([await readBarsCsv(NVDA)]);
    const whole = await start();
    expect(await settle(whole)).toMatchObject({ status: 'done', trials: PLANNED, resumes: 0, trialsReused: 0 });
    const reference = await table(whole);

    // As a killed server leaves a run: running, with the trials of its first batches stored.
    const repo = new OptimizationRunRepository(first.db);
    const killed = await repo.create({ strategy: 'sma-cross', method: 'grid', objective: 'sharpe', config: {}, origin: 'api', userId: null, trialsPlanned: PLANNED, request: REQUEST });
    await repo.markRunning(killed.id);
    await repo.addTrials(killed.id, 0, reference.slice(0, 24));
    // And one stopped with the server, wherever it had got to.
    const stopped = await start();
    servers.pop();
    await first.close();

    const db = await openDatabase(b.env.DATABASE_URL === undefined ? { dataDir } : { databaseUrl: b.env.DATABASE_URL });
    const left = await db.query<{ id: number; status: string; n: number }>(
      'select id::int as id, status, (select count(*)::int from optimization_trials t where t.run_id = r.id) as n from optimization_runs r where id = any($1::bigint[]) order by id',
      [[killed.id, stopped]],
    );
    await db.close();
    expect(left).toEqual([
      { id: killed.id, status: 'running', n: 24 },
      { id: stopped, status: 'interrupted', n: expect.any(Number) },
    ]);
    const stoppedAt = left[1]?.n ?? -1;

    const second = await startTestServer(b.env, { dataDir });
    servers.push(second);
    srv = second;
    token = await second.adminToken();
    const result = async (id: number): Promise<Record<string, unknown>> => get(`/${id}/result`);
    const want = await result(whole);
    for (const [id, reused] of [[killed.id, 24], [stopped, stoppedAt]] as const) {
      expect(await settle(id)).toMatchObject({ status: 'done', progress: 1, trials: PLANNED, error: null, resumes: 1, trialsReused: reused });
      const got = await result(id);
      expect(got.best).toEqual(want.best);
      expect(got.diagnostics).toEqual(want.diagnostics);
      expect(got.stats).toMatchObject({ trials: PLANNED, feasible: (want.stats as { feasible: number }).feasible });
      // Every trial once (none stored twice), with the numbers of the uninterrupted run.
      expect(await table(id)).toEqual(reference);
    }
    const history = (await get('?limit=10')).items as Run[];
    expect(history.find((r) => r.id === killed.id)).toMatchObject({ resumes: 1, trialsReused: 24 });
  });
});

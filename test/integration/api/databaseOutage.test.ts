// The server through a PostgreSQL outage, on a private cluster the test crashes and restarts: authenticated
// reads and the kill switch keep working from memory, /ready says the session is paused on its database, and
// everything resumes by itself once the database is back (the trip written to the journal then).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCluster, postgresBinaries } from '../../helpers/postgresCluster.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { waitUntil } from '../../helpers/budget.js';

const bin = postgresBinaries();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const until = (what: string, check: () => Promise<boolean> | boolean): Promise<void> => waitUntil(what, check, 50);

describe.skipIf(bin === null)('server through a PostgreSQL outage', () => {
  let cluster: PostgresCluster;
  let s: TestServer;
  beforeAll(async () => {
    cluster = await PostgresCluster.create(bin as string);
    await cluster.start();
    s = await startTestServer({ DATABASE_URL: cluster.url, PI5_DEMO_BARS: '3000' });
  });
  afterAll(async () => {
    await cluster?.start().catch(() => undefined);
    await s?.close();
    await cluster?.destroy();
  });

  it('serves reads and trips the kill switch from memory, reports the pause in /ready, and resumes by itself', async () => {
    const viewer = await s.userToken('outage-viewer', 'viewer');
    const trader = await s.userToken('outage-trader', 'trader');
    expect((await s.request('GET', '/api/v1/portfolio', { token: viewer })).status).toBe(200);
    expect((await s.request('GET', '/api/v1/risk/status', { token: trader })).status).toBe(200);
    s.session.setStepInterval(20);
    s.session.start();
    await until('a few steps', () => s.session.status().step > 3);

    await cluster.crash();
    await until('the session to notice', () => s.session.status().waiting !== null);
    const stepAtPause = s.session.status().step;
    // Past the user cache's TTL (5 s): the users now come from memory only because the database is away.
    await sleep(5_500);
    expect(s.session.status()).toMatchObject({ state: 'running', waiting: 'database unreachable', step: stepAtPause });

    const portfolio = await s.request('GET', '/api/v1/portfolio', { token: viewer });
    expect(portfolio.status).toBe(200);
    const ready = await s.request('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database.ok).toBe(false);
    expect(ready.body.checks.feed).toMatchObject({ ok: false });
    expect(ready.body.checks.feed.detail).toMatch(/^paused: database unreachable/);
    expect(ready.body.details.auth).toMatch(/users from memory/);
    const trip = await s.request('POST', '/api/v1/risk/kill-switch', { token: trader, body: { reason: 'db outage drill' } });
    expect(trip.status).toBe(200);
    expect(trip.body.tripped).toBe(true);
    expect(s.session.status().killSwitch).toBe('tripped');
    // A change needs the database: refused, not half-done.
    const order = await s.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOA', side: 'buy', quantity: 1 } });
    expect(order.status).toBe(503);
    expect(JSON.stringify(order.body)).not.toMatch(/insert into|select /i);

    await cluster.start();
    await until('/ready again', async () => (await s.request('GET', '/ready')).status === 200);
    await until('steps again', () => s.session.status().step > stepAtPause);
    expect(s.session.status()).toMatchObject({ state: 'running', waiting: null, failure: null, killSwitch: 'tripped' });
    const rows = await s.db.query<{ n: number | string }>("select count(*) as n from paper_session_actions where action->>'kind' = 'tripKillSwitch'");
    expect(Number(rows[0]?.n)).toBe(1);
    const [status] = await s.db.query<{ status: string }>('select status from paper_sessions');
    expect(status?.status).toBe('running');
  });
});

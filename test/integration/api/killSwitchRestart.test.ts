// The kill switch survives a restart of the real server (startApp on the same data folder): still tripped with
// its reason, orders still refused, and only an admin's reset lets them through again.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';

const running: TestServer[] = [];
let dataDir = '';
afterAll(async () => {
  for (const s of running) await s.close().catch(() => undefined);
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

const order = { symbol: 'DEMOA', side: 'buy', quantity: 1 };

describe('kill switch across a server restart', () => {
  it('stays tripped after the server restarts, refusing orders until an admin resets it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pi5-kill-'));
    const first = await startTestServer({}, { dataDir });
    running.push(first);
    const trader = await first.userToken('tom', 'trader');
    await first.session.advance(5);
    const trip = await first.request('POST', '/api/v1/risk/kill-switch', { token: trader, body: { reason: 'before the restart' } });
    expect(trip.body).toMatchObject({ tripped: true, reason: 'before the restart' });
    await first.close();
    running.pop();

    const second = await startTestServer({}, { dataDir });
    running.push(second);
    const token = (await second.login('tom', 'tom-password-123')).accessToken;
    const admin = await second.adminToken();
    const status = await second.request('GET', '/api/v1/risk/status', { token });
    expect(status.body.killSwitch).toMatchObject({ tripped: true, reason: 'before the restart' });
    const refused = await second.request('POST', '/api/v1/orders', { token, body: order });
    expect(refused.body).toMatchObject({ status: 'rejected', rejectReason: expect.stringMatching(/KILL_SWITCH/) });
    // Still tripped: a second trip is a conflict, not a fresh trip.
    expect((await second.request('POST', '/api/v1/risk/kill-switch', { token, body: { reason: 'again' } })).status).toBe(409);

    expect((await second.request('DELETE', '/api/v1/risk/kill-switch', { token })).status).toBe(403);
    expect((await second.request('DELETE', '/api/v1/risk/kill-switch', { token: admin })).body.tripped).toBe(false);
    const accepted = await second.request('POST', '/api/v1/orders', { token, body: order });
    expect(accepted.body.status).not.toBe('rejected');
  });
});

// The trading suite on PostgreSQL and Redis (a fresh database and a key prefix of its own), plus the WebSocket
// fan-out through Redis between two server instances.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../../helpers/services.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { tradingSuite } from './tradingSuite.js';
import { waitUntil } from '../../helpers/budget.js';

const ready = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('PostgreSQL + Redis', () => {
  tradingSuite('PostgreSQL, Redis', async () => {
    const db = await createTestDatabase('pi5_api');
    return { env: { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, PI5_CACHE_PREFIX: `pi5t${randomBytes(4).toString('hex')}:` }, cleanup: db.drop };
  });

  describe('two instances sharing Redis', () => {
    const servers: TestServer[] = [];
    const drops: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      const prefix = `pi5t${randomBytes(4).toString('hex')}:`;
      for (const session of ['a', 'b']) {
        const db = await createTestDatabase('pi5_fan');
        drops.push(db.drop);
        servers.push(await startTestServer({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, PI5_CACHE_PREFIX: prefix, PI5_SESSION_ID: session }));
      }
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
      for (const d of drops) await d();
    });

    it('delivers an event published by one instance to a WebSocket client of the other', async () => {
      const [a, b] = servers as [TestServer, TestServer];
      const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws`);
      const got: Record<string, unknown>[] = [];
      ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString()) as Record<string, unknown>));
      await new Promise((r) => ws.once('open', r));
      // Sent back to back: the server answers the subscribe only once the auth is through.
      ws.send(JSON.stringify({ type: 'auth', token: await b.adminToken() }));
      ws.send(JSON.stringify({ type: 'subscribe', channels: ['portfolio'] }));
      await waitUntil('the subscriptions', () => got.some((m) => m.type === 'subscriptions'), 50);
      await a.session.advance(3);
      await waitUntil('three portfolio events', () => got.filter((m) => m.channel === 'portfolio').length >= 3, 50);
      const events = got.filter((m) => m.channel === 'portfolio');
      // Instance b's own session did not move: every portfolio event came from a through Redis.
      expect(b.session.status().step).toBe(0);
      expect(events.length).toBeGreaterThanOrEqual(3);
      ws.close();
    });
  });
});

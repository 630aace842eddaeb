// A live session whose subscription exceeds the Alpaca plan's symbol limit (stream error 405): the feed closes
// for good, the session stops retrying, and /ready and the session status name the limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../../helpers/apiServer.js';
import { startLiveServer, until } from '../../../helpers/liveServer.js';
import type { FakeAlpaca } from '../../data/providers/fakeAlpaca.js';

const CONFIG = `
session:
  live: { provider: alpaca, symbols: [AAPL, MSFT], timeframe: 1m }
  strategies:
    - { id: hold, strategy: buy-and-hold, symbols: [AAPL], size: "10" }
`;

let fake: FakeAlpaca;
let s: TestServer;
beforeAll(async () => {
  ({ fake, s } = await startLiveServer(CONFIG, (f) => f.limitSymbols(1)));
});
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

describe('live session over the symbol limit', () => {
  it('closes the feed with the 405 reason in /ready and does not reconnect', async () => {
    const ready = await until(
      () => s.request('GET', '/ready'),
      (r) => String((r.body as { checks?: { feed?: { detail?: string } } }).checks?.feed?.detail).includes('closed'),
    );
    expect(ready.status).toBe(503);
    const feed = (ready.body as { checks: { feed: { ok: boolean; detail: string } } }).checks.feed;
    expect(feed.ok).toBe(false);
    expect(feed.detail).toContain('alpaca feed closed (alpaca stream: error 405 symbol limit exceeded');
    const admin = await s.adminToken();
    const st = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(st.live).toMatchObject({ provider: 'alpaca', state: 'closed' });
    expect(String(st.live.detail)).toContain('no reconnect');
    // The session's connect loop would retry within a second; it must not.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(fake.connections()).toBe(1);
  });
});

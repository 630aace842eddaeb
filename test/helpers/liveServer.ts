// A real server whose session runs on the local fake Alpaca's market-data stream (Alpaca's wire format), for the
// live-session integration tests: the fake, the server, a bar frame as Alpaca sends it, and a poll until true.

import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './apiServer.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca } from '../integration/data/providers/fakeAlpaca.js';
import { WAIT_BUDGET_MS } from './budget.js';

export interface LiveServer {
  readonly fake: FakeAlpaca;
  readonly s: TestServer;
}

/** `prepare` sets the fake up (e.g. a symbol limit) before the server connects to it. */
export async function startLiveServer(configYaml: string, prepare: (fake: FakeAlpaca) => void = () => undefined): Promise<LiveServer> {
  const fake = await startFakeAlpaca();
  fake.handleBars(barsFrom({}));
  prepare(fake);
  const s = await startTestServer({ APCA_API_KEY_ID: FAKE_KEY, APCA_API_SECRET_KEY: FAKE_SECRET, APCA_API_STREAM_URL: fake.streamUrl, APCA_API_DATA_URL: fake.baseUrl }, { configYaml });
  return { fake, s };
}

/** Starts a live server before the file's tests and closes it after them; the getter gives it to each test. */
export function liveServerForTests(configYaml: string, startBudgetMs = 120_000): () => LiveServer {
  let running: LiveServer | null = null;
  beforeAll(async () => {
    running = await startLiveServer(configYaml);
  }, startBudgetMs);
  afterAll(async () => {
    await running?.s.close();
    await running?.fake.close();
  });
  return () => {
    if (running === null) throw new Error('the live server did not start');
    return running;
  };
}

/** One minute bar as Alpaca's stream sends it (`T: 'b'`). */
export const barFrame = (S: string, ts: number, c: number): Record<string, unknown> => ({ T: 'b', S, o: c, h: c + 0.5, l: c - 0.5, c, v: 1_000, t: new Date(ts).toISOString(), n: 10, vw: c });

/** Polls `f` until `ok` (or the safety budget runs out; the caller's assertion then says what is missing). */
export async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = WAIT_BUDGET_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

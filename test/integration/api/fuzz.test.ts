// Fuzzing driven by the server's own OpenAPI document: every route, every path and query parameter and every
// body property gets wrong types, out-of-range numbers, NUL, invalid UTF-8 and long text, and every body route
// gets huge and deeply nested bodies and other content types, with and without a token. Asserted: no 5xx, no
// stack trace or SQL in any answer, the session still running, and storage holding exactly what memory holds.
// Seeded (FUZZ_SEED=N replays another order). Every generated request is sent, CONCURRENCY at a time (one at a
// time spent most of the time waiting: a budget of 30 s reached a quarter of them on a loaded machine).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { waitUntil } from '../../helpers/budget.js';

const SEED = Number(process.env.FUZZ_SEED ?? 11);
/** Requests in flight at once: well under the server's per-IP connection cap (128). */
const CONCURRENCY = 16;
/** Routes that end or replace the process or its data: fuzzed elsewhere or not at all. */
const SKIP = /restart|shutdown|restore/;

const BAD_TEXT = ['', 'abc', '-1', '0', '1e309', '-1e309', 'Infinity', 'NaN', '99999999999999999999', '1.5', '0x10', '%00', 'a%00b', '%FF%FE', '%C3%28', '%E2%82', 'x'.repeat(5_000), "'; drop table orders;--", '../../etc/passwd', '[]', '{}', 'true', 'null'];
const BAD_JSON = ['null', '1e309', '-1e309', '99999999999999999999', '"a\\u0000b"', '"\\ud800"', '""', '"x"', '-1', '0', '1.5', 'true', '[]', '{}', '[1,2,3]', `"${'y'.repeat(20_000)}"`, '{"a":{"b":{"c":1}}}'];
const LEAK = /\bat [\w.<>]+ \(|\.(?:js|ts):\d+:\d+|node_modules|\bselect\b[^"]{0,80}\bfrom\b|\binsert into\b|\bupdate\b \w+ \bset\b|\bdelete from\b|syntax error at|violates|duplicate key|relation "\w+"|invalid byte sequence/i;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

function fill(path: string, rng: SeededRng, bad: string | null): string {
  return path.replace(/\{(\w+)\}/g, () => (bad ?? String(rng.int(1, 3))));
}

function probes(paths: Record<string, Record<string, Operation>>, rng: SeededRng): Probe[] {
  const out: Probe[] = [];
  for (const [rawPath, ops] of Object.entries(paths)) {
    if (SKIP.test(rawPath)) continue;
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase();
      const params = op.parameters ?? [];
      for (const bad of BAD_TEXT) {
        if (params.some((p) => p.in === 'path')) out.push({ method, path: fill(rawPath, rng, encodeURI(bad).replace(/%25/g, '%')) });
        for (const q of params.filter((p) => p.in === 'query')) out.push({ method, path: `${fill(rawPath, rng, null)}?${q.name}=${bad.replace(/[&#]/g, '')}` });
      }
      const props = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      if (op.requestBody === undefined) continue;
      const path = fill(rawPath, rng, null);
      for (const prop of props) for (const v of BAD_JSON) out.push({ method, path, body: `{"${prop}":${v}}`, contentType: 'application/json' });
      out.push({ method, path, body: '[' .repeat(50_000) + ']'.repeat(50_000), contentType: 'application/json' });
      out.push({ method, path, body: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), contentType: 'application/json' });
      out.push({ method, path, body: JSON.stringify({ pad: 'z'.repeat(3_000_000) }), contentType: 'application/json' });
      out.push({ method, path, body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' });
      out.push({ method, path, body: '{"a":1', contentType: 'application/json' });
      out.push({ method, path, body: 'symbol=AAA&side=buy', contentType: 'application/x-www-form-urlencoded' });
      out.push({ method, path, body: 'hello', contentType: 'text/plain' });
      out.push({ method, path, body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', contentType: 'multipart/form-data; boundary=x' });
    }
  }
  // A seeded shuffle: the budget cuts a different tail for each seed, never always the same routes.
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as Probe, out[i] as Probe];
  }
  return out;
}

describe('API fuzzing from the OpenAPI document', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it(`answers every malformed request without a 5xx or a leak, and the session trades on (seed ${SEED})`, async () => {
    const rng = new SeededRng(SEED);
    const doc = (await s.request('GET', '/docs/json')).body as { paths: Record<string, Record<string, Operation>> };
    const all = probes(doc.paths, rng);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
    const tokens = [await s.adminToken(), await s.userToken('fuzz-viewer', 'viewer'), undefined];
    s.session.setStepInterval(50);
    s.session.start();

    const failures: string[] = [];
    // Tokens drawn up front, so a seed gives the same request list whatever order the answers come back in.
    const sends = all.map((p) => ({ p, token: tokens[rng.int(0, tokens.length - 1)] }));
    let sent = 0;
    let closed = 0;
    const send = async ({ p, token }: (typeof sends)[number]): Promise<void> => {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (p.contentType !== undefined) headers['content-type'] = p.contentType;
      let status: number;
      let text: string;
      try {
        const r = await fetch(`${s.url}${p.path}`, { method: p.method, headers, ...(p.body === undefined ? {} : { body: p.body }) });
        status = r.status;
        text = await r.text();
      } catch (e) {
        // The server closing a connection on a body over its limit is an answer, not a failure.
        if (p.body !== undefined && p.body.length > 1_000_000) {
          closed++;
          return;
        }
        failures.push(`${p.method} ${p.path}: ${(e as Error).message}`);
        return;
      }
      sent++;
      if (status >= 500) failures.push(`${p.method} ${p.path.slice(0, 120)} -> ${status} ${text.slice(0, 200)}`);
      else if (LEAK.test(text) && !p.path.startsWith('/docs')) failures.push(`${p.method} ${p.path.slice(0, 120)} leaks: ${text.slice(0, 200)}`);
    };
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < sends.length) await send(sends[next++] as (typeof sends)[number]);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    process.stderr.write(`fuzz: ${sent} of ${all.length} requests answered, ${closed} oversized bodies cut off\n`);
    expect(failures).toEqual([]);
    expect(sent + closed).toBe(all.length);

    const st = s.session.status();
    expect(st.failure).toBeNull();
    expect(['running', 'paused']).toContain(st.state);
    const step = st.step;
    await waitUntil('a step, or the session no longer running', () => s.session.status().step !== step || s.session.status().state !== 'running', 50);
    expect((await s.request('GET', '/ready')).status).toBe(200);
    await s.session.stop();
    // Nothing stored that memory (and so the answers) does not have, and the other way round.
    const rows = await s.db.query<{ client_order_id: string }>('select client_order_id from orders order by client_order_id');
    expect(rows.map((r) => r.client_order_id)).toEqual(s.session.kernel.oms.all().map((o) => o.clientOrderId).sort());
  }, 400_000);
});

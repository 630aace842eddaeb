// Issue 11, finding 6 through the real server: a request that declares a longer body than it sends is cut off by
// the request timeout, slow headers by the headers timeout, and one IP cannot hold more connections than its cap.
// Timeouts are short in this server's config; nothing asserts how fast they fire, only that the connection closed.

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';

let s: TestServer;
let port: number;
beforeAll(async () => {
  s = await startTestServer({ PI5_REQUEST_TIMEOUT_MS: '400', PI5_HEADERS_TIMEOUT_MS: '300', PI5_KEEP_ALIVE_TIMEOUT_MS: '60000', PI5_MAX_CONNECTIONS_PER_IP: '3' });
  port = Number(new URL(s.url).port);
});
afterAll(async () => s?.close());

interface Conn {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
}

async function open(): Promise<Conn> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (data += d));
  socket.on('error', () => undefined); // a reset is one way of being closed
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

describe('HTTP timeouts and connection cap (finding 6)', () => {
  it('cuts off a request that declares a larger Content-Length than it sends', async () => {
    const c = await open();
    c.socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"username":');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off headers that never finish', async () => {
    const c = await open();
    c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    await c.closed;
    expect(c.received()).not.toMatch(/200 OK/);
  });

  it('closes the connection over the per-IP cap at once, and accepts again when one is freed', async () => {
    const held: Conn[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await open();
      // A whole request, answered, then idle under keep-alive: the connection stays open and counted.
      c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await until(() => c.received().includes('"status":"ok"'));
      held.push(c);
    }
    const over = await open();
    over.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await over.closed;
    expect(over.received()).toBe('');

    const first = held.shift();
    first?.socket.destroy();
    await first?.closed;
    // The server counts the freed connection once its own side has seen the close: ask until it has.
    let status = 0;
    while (status !== 200) status = await s.request('GET', '/health', { headers: { connection: 'close' } }).then((r) => r.status, () => 0);
    expect(status).toBe(200);
    for (const c of held) c.socket.destroy();
  });
});

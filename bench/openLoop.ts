// An open-loop HTTP load generator with microsecond latencies, for p99 figures of a few milliseconds.
// autocannon's fixed-rate mode sends in bursts and records whole milliseconds: against a bare node:http server on
// this machine it reports p99 = 6 ms, so it cannot tell whether our server meets a 5 ms goal. Here requests are
// due at exact intervals (i / rate), go out on the first idle keep-alive connection (raw sockets, request bytes
// built once), and each latency runs from the moment the request was due — so time spent queued behind a slow
// answer counts against the server (no coordinated omission) — to the last byte of its answer.

import { connect, type Socket } from 'node:net';

export interface OpenLoopResult {
  readonly sent: number;
  readonly answered: number;
  readonly non2xx: number;
  /** Latencies in milliseconds (from due time to last byte). */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Requests answered per second over the run. */
  readonly rps: number;
}

interface Conn {
  readonly socket: Socket;
  busy: boolean;
  due: number;
  buf: Buffer;
}

/** Index of the end of a complete HTTP/1.1 response in `buf` (content-length or chunked), or -1. */
function responseEnd(buf: Buffer): number {
  const head = buf.indexOf('\r\n\r\n');
  if (head < 0) return -1;
  const headers = buf.subarray(0, head).toString('latin1').toLowerCase();
  const length = /\r\ncontent-length:\s*(\d+)/.exec(headers);
  if (length) {
    const end = head + 4 + Number(length[1]);
    return buf.length >= end ? end : -1;
  }
  if (!headers.includes('transfer-encoding: chunked')) throw new Error('open-loop load: response with neither content-length nor chunked body');
  let at = head + 4;
  for (;;) {
    const line = buf.indexOf('\r\n', at);
    if (line < 0) return -1;
    const size = parseInt(buf.subarray(at, line).toString('latin1'), 16);
    const next = line + 2 + size + 2;
    if (buf.length < next) return -1;
    if (size === 0) return next;
    at = next;
  }
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * GET `url` at `rate` requests per second for `durationMs` over `connections` keep-alive sockets, after `warmupMs`
 * at the same rate whose latencies are not counted (both servers compile their hot paths then: a route's schema
 * is compiled at its first request, V8 optimizes the handlers).
 */
export async function openLoop(url: string, headers: Record<string, string>, rate: number, durationMs: number, connections = 10, warmupMs = 2000): Promise<OpenLoopResult> {
  const target = new URL(url);
  const request = Buffer.from(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: keep-alive\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
      '\r\n',
    'latin1',
  );
  const total = Math.round((rate * (warmupMs + durationMs)) / 1000);
  const latencies = new Float64Array(total);
  let counted = 0;
  let answered = 0;
  let non2xx = 0;
  let sent = 0;
  const waiting: number[] = [];
  const conns: Conn[] = await Promise.all(
    Array.from({ length: connections }, () => new Promise<Conn>((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname, () => resolve(conn));
      const conn: Conn = { socket, busy: false, due: 0, buf: Buffer.alloc(0) };
      socket.setNoDelay(true);
      socket.once('error', reject);
    })),
  );
  const t0 = performance.now();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const send = (conn: Conn, due: number): void => {
    conn.busy = true;
    conn.due = due;
    conn.socket.write(request);
  };
  for (const conn of conns) {
    conn.socket.on('data', (chunk: Buffer) => {
      conn.buf = conn.buf.length === 0 ? chunk : Buffer.concat([conn.buf, chunk]);
      const end = responseEnd(conn.buf);
      if (end < 0) return;
      const status = Number(conn.buf.subarray(9, 12).toString('latin1'));
      answered++;
      if (conn.due >= t0 + warmupMs) latencies[counted++] = performance.now() - conn.due;
      if (status < 200 || status > 299) non2xx++;
      conn.buf = conn.buf.subarray(end);
      conn.busy = false;
      const next = waiting.shift();
      if (next !== undefined) send(conn, next);
      if (answered === total) finish();
    });
  }
  const pump = (): void => {
    const now = performance.now();
    const dueCount = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
    while (sent < dueCount) {
      const due = t0 + (sent * 1000) / rate;
      sent++;
      const idle = conns.find((c) => !c.busy);
      if (idle) send(idle, due);
      else waiting.push(due);
    }
    // A timer, not setImmediate: a spinning client would take one of the machine's two cores from the server.
    if (sent < total) setTimeout(pump, 1);
  };
  pump();
  const limit = setTimeout(finish, warmupMs + durationMs + 30_000);
  await done;
  clearTimeout(limit);
  const elapsed = performance.now() - t0;
  for (const c of conns) c.socket.destroy();
  const sorted = latencies.subarray(0, counted).sort();
  return { sent, answered, non2xx, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1), rps: (answered * 1000) / elapsed };
}

// Serves the dashboard built from web/ (dist/web) at `/`: index.html never cached (it names the current
// assets), hashed assets under /assets/ cached for a year, gzip-compressed once, at the first request of a
// browser that accepts it (not at start: compressing the bundle took ~50 ms of every server start).
// Without a build, `/` says how to make one instead of failing.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly compressible: boolean;
  /** Made at the first request that accepts gzip. */
  gzip?: Buffer;
}

/** dist/web both from src/api (tests, tsx) and from dist/src/api (the built server). */
export function webDistDir(): string | null {
  const candidates = [new URL('../../dist/web/', import.meta.url), new URL('../../web/', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

function load(file: string): Asset {
  const ext = extname(file);
  const body = readFileSync(file);
  return { type: TYPES[ext] ?? 'application/octet-stream', body, compressible: COMPRESSIBLE.has(ext) && body.length > 1024 };
}

function send(req: FastifyRequest, reply: FastifyReply, a: Asset, cache: string): FastifyReply {
  void reply.type(a.type).header('cache-control', cache).header('vary', 'accept-encoding');
  const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
  if (a.compressible && accepts) return reply.header('content-encoding', 'gzip').send((a.gzip ??= gzipSync(a.body)));
  return reply.send(a.body);
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pi5-trading</title></head><body style="font:15px system-ui;padding:24px">
<h1>pi5-trading</h1><p>The dashboard has not been built. Run <code>npm run build</code> (or <code>npm install</code>) and restart the server.</p>
<p>The API works meanwhile: <a href="/docs">/docs</a>.</p></body></html>`;

export function registerWebApp(app: FastifyInstance, dir: string | null = webDistDir()): void {
  const hide = { schema: { hide: true } as Record<string, unknown> };
  if (dir === null) {
    app.get('/', hide, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT));
    return;
  }
  const index = load(join(dir, 'index.html'));
  const assetsDir = join(dir, 'assets');
  const assets = new Map<string, Asset>();
  if (existsSync(assetsDir)) for (const name of readdirSync(assetsDir)) assets.set(name, load(join(assetsDir, name)));
  app.get('/', hide, async (req, reply) => send(req, reply, index, 'no-cache'));
  app.get<{ Params: { file: string } }>('/assets/:file', hide, async (req, reply) => {
    const a = assets.get(req.params.file);
    if (!a) return reply.status(404).type('text/plain').send('not found');
    return send(req, reply, a, 'public, max-age=31536000, immutable');
  });
}

// A local S3-compatible server speaking the REST wire format the AWS SDK uses with path-style addressing:
// PutObject (plain or aws-chunked bodies with trailing checksums), ListObjectsV2 (XML, paged) and DeleteObject.
// It records each request's Authorization header so tests can see the SDK signed with the configured key.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3 {
  readonly endpoint: string;
  /** bucket → key → body */
  readonly buckets: Map<string, Map<string, Buffer>>;
  readonly authorizations: string[];
  /** When true every request answers 503 SlowDown. */
  down: boolean;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** aws-chunked: `<hex size>[;chunk-signature=..]\r\n<data>\r\n` ... `0\r\n<trailers>\r\n\r\n`. */
function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) throw new Error('aws-chunked: missing chunk header');
    const size = Number.parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0] as string, 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked: bad chunk size');
    if (size === 0) return Buffer.concat(out);
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeS3(pageSize = 1000): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, Buffer>>();
  const authorizations: string[] = [];
  const state = { down: false };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      authorizations.push(String(req.headers.authorization ?? ''));
      if (state.down) {
        res.writeHead(503, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://s3.local');
      const [, bucket = '', ...keyParts] = url.pathname.split('/');
      const key = decodeURIComponent(keyParts.join('/'));
      let objects = buckets.get(bucket);
      if (objects === undefined) buckets.set(bucket, (objects = new Map()));
      if (req.method === 'PUT' && key !== '') {
        const chunked = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
        objects.set(key, chunked ? decodeAwsChunked(body) : body);
        res.writeHead(200, { etag: '"fake"' }).end();
      } else if (req.method === 'DELETE' && key !== '') {
        objects.delete(key);
        res.writeHead(204).end();
      } else if (req.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const after = url.searchParams.get('continuation-token') ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
        const page = keys.slice(0, pageSize);
        const truncated = keys.length > page.length;
        res.writeHead(200, { 'content-type': 'application/xml' }).end(
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            `<Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
            page.map((k) => `<Contents><Key>${xml(k)}</Key><Size>${objects.get(k)?.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
            (truncated ? `<NextContinuationToken>${xml(page[page.length - 1] as string)}</NextContinuationToken>` : '') +
            '</ListBucketResult>',
        );
      } else {
        res.writeHead(400, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidRequest</Code><Message>not served by the fake</Message></Error>');
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    buckets,
    authorizations,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

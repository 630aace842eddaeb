// A minimal ustar archive, gzipped, for backups that carry more than one piece (the embedded database's
// snapshot and the bar catalog's files): written entry by entry to a stream, read back entry by entry from a
// stream, so neither side holds the whole archive. `tar xzf` opens it.

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A ustar header; names over 100 bytes go into the 155-byte prefix, split at a '/'. */
function header(name: string, size: number, mtimeS: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`archive: name too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(mtimeS, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write('0', 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

export class TarWriter {
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;

  constructor(out: Writable) {
    this.gzip.pipe(out);
    this.done = once(out, 'finish').then(() => undefined);
  }

  static toFile(path: string): TarWriter {
    return new TarWriter(createWriteStream(path));
  }

  private async write(chunk: Buffer | Uint8Array): Promise<void> {
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  async add(name: string, body: Uint8Array, mtimeMs = Date.now()): Promise<void> {
    await this.write(header(name, body.length, Math.floor(mtimeMs / 1000)));
    await this.write(body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad > 0) await this.write(Buffer.alloc(pad));
  }

  async close(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.gzip.end();
    await this.done;
  }
}

export interface TarEntry {
  readonly name: string;
  readonly body: Buffer;
}

function field(h: Buffer, at: number, len: number): string {
  const raw = h.subarray(at, at + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

/** Bytes received in chunks, taken from the front; each byte is copied at most once (a large entry arrives in
 * thousands of chunks, and joining them on every arrival would copy it quadratically often). */
class ByteQueue {
  private parts: Buffer[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** Removes the first `n` bytes (n <= size) and returns them. */
  take(n: number): Buffer {
    this.length -= n;
    const first = this.parts[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.parts.shift();
      else this.parts[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const part = this.parts[0] as Buffer;
      const used = Math.min(part.length, n - at);
      part.copy(out, at, 0, used);
      at += used;
      if (used === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(used);
    }
    return out;
  }
}

/** Each regular file of a gzipped ustar archive, in order (one entry's body in memory at a time). */
export async function* readTarGz(path: string): AsyncGenerator<TarEntry> {
  const input: Readable = createReadStream(path).pipe(createGunzip());
  const queue = new ByteQueue();
  let pending: { name: string; size: number; type: string } | null = null;
  try {
    for await (const chunk of input) {
      queue.push(chunk as Buffer);
      for (;;) {
        if (pending === null) {
          if (queue.size < BLOCK) break;
          const h = queue.take(BLOCK);
          if (h.every((b) => b === 0)) continue;
          const prefix = field(h, 345, 155);
          const name = field(h, 0, 100);
          pending = { name: prefix === '' ? name : `${prefix}/${name}`, size: Number.parseInt(field(h, 124, 12).trim() || '0', 8), type: field(h, 156, 1) };
        }
        const padded = Math.ceil(pending.size / BLOCK) * BLOCK;
        if (queue.size < padded) break;
        // A copy, so the body does not pin the chunk it was cut from.
        const body = Buffer.from(queue.take(pending.size));
        queue.take(padded - pending.size);
        const entry = pending;
        pending = null;
        if (entry.type === '0' || entry.type === '') yield { name: entry.name, body };
      }
    }
    if (pending !== null) throw new Error(`archive ends inside ${pending.name}`);
  } finally {
    // A reader that stops early (a bare snapshot is recognised by its first entry) closes the file.
    input.destroy();
  }
}

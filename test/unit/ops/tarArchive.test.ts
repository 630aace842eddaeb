import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { readTarGz, TarWriter } from '../../../src/ops/tarArchive.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-tar-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function bytes(n: number, seed: number): Buffer {
  const rng = new SeededRng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return b;
}

async function readAll(path: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const e of readTarGz(path)) out.set(e.name, e.body);
  return out;
}

describe('gzipped ustar archive', () => {
  // Sizes around the 512-byte block edges, and one spanning many of the gunzip stream's 16 KiB chunks.
  const entries: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['one', bytes(1, 1)],
    ['block-1', bytes(511, 2)],
    ['block', bytes(512, 3)],
    ['block+1', bytes(513, 4)],
    [`catalog/${'d'.repeat(90)}/${'f'.repeat(90)}.arrow`, bytes(3 * 2 ** 20 + 7, 5)],
    ['last', bytes(1000, 6)],
  ];

  it('reads back every entry it wrote, byte for byte and in order, and tar lists the same names', async () => {
    const file = join(dir, 'a.tar.gz');
    const w = TarWriter.toFile(file);
    for (const [name, body] of entries) await w.add(name, body, 0);
    await w.close();
    const back = await readAll(file);
    expect([...back.keys()]).toEqual(entries.map(([n]) => n));
    for (const [name, body] of entries) expect(back.get(name)?.equals(body), name).toBe(true);
    const listed = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(entries.map(([n]) => n));
  });

  it('refuses an archive cut inside an entry, naming the entry', async () => {
    const file = join(dir, 'b.tar.gz');
    const w = TarWriter.toFile(file);
    await w.add('whole', bytes(600, 7), 0);
    await w.add('cut', bytes(5000, 8), 0);
    await w.close();
    const raw = gunzipSync(await readFile(file));
    const truncated = join(dir, 'cut.tar.gz');
    await writeFile(truncated, gzipSync(raw.subarray(0, 512 + 1024 + 512 + 2048)));
    await expect(readAll(truncated)).rejects.toThrow(/inside cut/);
  });
});

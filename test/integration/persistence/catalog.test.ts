// The storage suite on the embedded database on disk, where bars live in the columnar catalog (decision 0009),
// plus what only the catalog has: atomic commits under SIGKILL, old PGlite bars moved in, external readers.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars, writeBarsCsv } from '../../../src/data/synthetic.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { openPglite } from '../../../src/persistence/pgliteDatabase.js';
import { CLI as cliPath } from '../../helpers/cli.js';
import { columns, storageSuite } from './storeSuite.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pi5-catalog-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storageSuite('PGlite on disk (bar catalog)', async () => {
  const db = await openDatabase({ dataDir: tempDir() });
  // Opened here (the hook's time limit), as the in-memory suite is: the embedded database opens on first use.
  await db.query('select 1');
  return { db, done: () => db.close(), premigrated: true };
});

/** The files under the catalog: what a commit left (names and sizes). */
function catalogFiles(dir: string): string[] {
  return readdirSync(join(dir, 'catalog'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name).slice(dir.length))
    .sort();
}

describe('bar catalog', () => {
  it('never starts PGlite for imports, lists and reads, and an identical re-import rewrites no file', async () => {
    const dir = tempDir();
    const db = await openDatabase({ dataDir: dir });
    const store = new BarStore(db);
    const s = generateSyntheticBars({ symbol: 'NOPG', bars: 2000, seed: 21, timeframe: '1m', start: Date.UTC(2022, 0, 3) });
    expect(await store.ingest([s])).toEqual({ rows: 2000, written: 2000 });
    const files = catalogFiles(dir);
    const manifest = readFileSync(join(dir, 'catalog', 'manifest.json'), 'utf8');
    expect(await store.ingest([s])).toEqual({ rows: 2000, written: 0 });
    expect(catalogFiles(dir)).toEqual(files);
    expect(readFileSync(join(dir, 'catalog', 'manifest.json'), 'utf8')).toBe(manifest);
    expect(files.filter((f) => f.endsWith('.arrow'))).toHaveLength(1);
    expect(files.some((f) => f.includes('symbol=NOPG') && f.includes('timeframe=1m'))).toBe(true);
    const [back] = await store.read({ symbols: ['NOPG'], timeframe: '1m' });
    expect(columns(back!)).toEqual(columns(s));
    expect(db.opened?.()).toBe(false);
    await db.close();
  });

  it('moves the bars of a PGlite store made before the catalog into it once, and reads them the same', async () => {
    const dir = tempDir();
    const s = generateSyntheticBars({ symbol: 'OLD', bars: 700, seed: 22, priceDecimals: 3 });
    const old = await openPglite({ dataDir: dir });
    await migrate(old);
    expect(await new BarStore(old).ingest([s])).toEqual({ rows: 700, written: 700 });
    await old.close();
    const db = await openDatabase({ dataDir: dir }, async (d) => {
      await migrate(d);
    });
    const store = new BarStore(db);
    expect(await store.list()).toEqual([{ symbol: 'OLD', timeframe: '1d', firstTs: s.ts[0], lastTs: s.ts[699], count: 700 }]);
    const [back] = await store.read({ symbols: ['OLD'], timeframe: '1d' });
    expect(back?.priceDecimals).toBe(3);
    expect(columns(back!)).toEqual(columns(s));
    await db.close();
    // Two PGlite opens (the first runs initdb) took 40 s at load 30: within the default safety budget.
  });

  it('a pi5 data import killed (SIGKILL) at any point leaves the previous data whole, and the next import tidies up', async () => {
    const dir = tempDir();
    const first = generateSyntheticBars({ symbol: 'KILL', bars: 1000, seed: 23, timeframe: '1m', start: Date.UTC(2022, 0, 3) });
    const db = await openDatabase({ dataDir: dir });
    await new BarStore(db).ingest([first]);
    await db.close();
    const csv = join(tempDir(), 'KILL.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'KILL', bars: 200_000, seed: 24, timeframe: '1m', start: Date.UTC(2022, 0, 3) })));
    // Killed as soon as it reports progress: parsing is done and the write is under way or about to be.
    for (const delayMs of [0, 150]) {
      const child = spawn(process.execPath, [cliPath, 'data', 'import', csv], { env: { ...process.env, PI5_DATA_DIR: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('import:')) setTimeout(() => child.kill('SIGKILL'), delayMs);
        });
        child.on('exit', () => resolve());
      });
      const after = await openDatabase({ dataDir: dir });
      const list = await new BarStore(after).list();
      expect(list).toHaveLength(1);
      // Either the old 1000 bars or the whole new import (when the kill came after the commit): never a mix.
      expect([1000, 200_000]).toContain(list[0]!.count);
      const [back] = await new BarStore(after).read({ symbols: ['KILL'], timeframe: '1m' });
      expect(back?.length).toBe(list[0]!.count);
      await after.close();
    }
    const db2 = await openDatabase({ dataDir: dir });
    await new BarStore(db2).ingest([first]);
    await db2.close();
    const arrows = catalogFiles(dir).filter((f) => !f.endsWith('manifest.json'));
    expect(arrows).toHaveLength(1);
    expect(arrows[0]).toMatch(/\.arrow$/);
  }, 600_000);
});

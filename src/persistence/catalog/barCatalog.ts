// The embedded store's bars (decision 0009): one Arrow IPC file per (symbol, timeframe) under
// `<dataDir>/catalog/bars/symbol=<S>/timeframe=<tf>/`, and `manifest.json` naming the current file of each
// series with its span, count and price decimals. A write puts new files beside the old ones, then renames a
// new manifest into place: that rename is the commit, so a crash at any point leaves the previous data.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Pi5Error } from '../../core/errors.js';
import { lowerBound, sliceSeries, type BarSeries } from '../../model/barSeries.js';
import { decodeBars, encodeBars } from './arrowBars.js';
import { withFileLock } from './fileLock.js';
import { mergeSeries, normalizeSeries } from './mergeBars.js';

export interface CatalogEntry {
  readonly symbol: string;
  readonly timeframe: string;
  /** Relative to the catalog directory, '/'-separated. */
  readonly file: string;
  readonly count: number;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly priceDecimals: number;
}

interface Manifest {
  readonly format: 'pi5-bar-catalog';
  readonly version: 1;
  readonly series: CatalogEntry[];
}

const MANIFEST = 'manifest.json';

const key = (symbol: string, timeframe: string): string => JSON.stringify([symbol, timeframe]);

async function writeDurably(path: string, bytes: Uint8Array | string): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class BarCatalog {
  /** `mayHaveSqlBars`: an embedded database already exists beside it, whose bars table BarStore moves in once. */
  constructor(readonly dir: string, readonly opts: { readonly mayHaveSqlBars?: boolean } = {}) {}

  /**
   * Hands every file of the committed catalog (the manifest first, then the bar files it names) to `add`, holding
   * the writers' lock so no import replaces or deletes a file meanwhile: what a backup copies. Nothing when empty.
   */
  async copyOut(add: (relativePath: string, bytes: Uint8Array) => Promise<void>): Promise<void> {
    if (!(await this.exists())) return;
    await withFileLock(join(this.dir, '.lock'), async () => {
      const manifest = await this.readManifest();
      if (manifest === null) return;
      await add(MANIFEST, await readFile(join(this.dir, MANIFEST)));
      for (const e of manifest.series) await add(e.file, await readFile(join(this.dir, ...e.file.split('/'))));
    });
  }

  /** False until the first write (or the move of a PGlite store's bars) creates the manifest. */
  async exists(): Promise<boolean> {
    return (await this.readManifest()) !== null;
  }

  async entries(): Promise<CatalogEntry[]> {
    return (await this.readManifest())?.series ?? [];
  }

  /** Bars of one series in [from, to] (inclusive, epoch ms), oldest first; null when the series is not stored. */
  async read(symbol: string, timeframe: string, from?: number, to?: number): Promise<BarSeries | null> {
    // A writer may replace the file between our manifest read and the file read: read the new manifest once more.
    for (let attempt = 0; ; attempt++) {
      const entry = (await this.entries()).find((e) => e.symbol === symbol && e.timeframe === timeframe);
      if (entry === undefined) return null;
      const path = join(this.dir, ...entry.file.split('/'));
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && attempt === 0) continue;
        throw new Pi5Error('PI5_ERR_IO', `${path}: cannot read the bar file (${(e as Error).message})`, { file: path });
      }
      const s = decodeBars(bytes, symbol, timeframe, entry.priceDecimals, path);
      const lo = from === undefined ? 0 : lowerBound(s, from);
      const hi = to === undefined ? s.length : firstAfter(s.ts, to);
      return lo === 0 && hi === s.length ? s : sliceSeries(s, lo, Math.max(lo, hi));
    }
  }

  /**
   * Merges every series in (the import wins at equal instants) and commits them together; `beforeCommit` runs
   * last before the commit (a failure there commits nothing). Returns the rows inserted or changed.
   */
  async ingest(series: readonly BarSeries[], beforeCommit?: () => Promise<void>): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    return withFileLock(join(this.dir, '.lock'), async () => {
      const found = await this.readManifest();
      const manifest: Manifest = found ?? { format: 'pi5-bar-catalog', version: 1, series: [] };
      const entries = new Map(manifest.series.map((e) => [key(e.symbol, e.timeframe), e]));
      let written = 0;
      let changed = false;
      const checked = series.map(normalizeSeries);
      // A series given twice in one import merges into what the first made of it, not the stored file.
      const pending = new Map<string, BarSeries>();
      for (const incoming of checked) {
        const raw = incoming;
        const old = entries.get(key(raw.symbol, raw.timeframe));
        const decimals = Math.max(old?.priceDecimals ?? 0, incoming.priceDecimals);
        const stored = pending.get(key(raw.symbol, raw.timeframe)) ?? (old === undefined ? null : await this.read(old.symbol, old.timeframe));
        const merged = stored === null ? { series: { ...incoming, priceDecimals: decimals }, written: incoming.length } : mergeSeries(stored, incoming, decimals);
        written += merged.written;
        if (old !== undefined && merged.written === 0) {
          if (decimals !== old.priceDecimals) {
            entries.set(key(old.symbol, old.timeframe), { ...old, priceDecimals: decimals });
            changed = true;
          }
          continue;
        }
        if (merged.series.length === 0) continue;
        pending.set(key(raw.symbol, raw.timeframe), merged.series);
        const file = await this.writeSeries(merged.series);
        entries.set(key(raw.symbol, raw.timeframe), {
          symbol: raw.symbol,
          timeframe: raw.timeframe,
          file,
          count: merged.series.length,
          firstTs: merged.series.ts[0] as number,
          lastTs: merged.series.ts[merged.series.length - 1] as number,
          priceDecimals: decimals,
        });
        changed = true;
      }
      await beforeCommit?.();
      if (changed || found === null) {
        const next: Manifest = { format: 'pi5-bar-catalog', version: 1, series: [...entries.values()].sort(bySeries) };
        const tmp = join(this.dir, `${MANIFEST}.${process.pid}.tmp`);
        await writeDurably(tmp, JSON.stringify(next, null, 1));
        await rename(tmp, join(this.dir, MANIFEST));
      }
      await this.removeUnreferenced();
      return written;
    });
  }

  /** Writes a new file (a name no manifest names yet) and returns its catalog-relative path. */
  private async writeSeries(s: BarSeries): Promise<string> {
    const folder = join('bars', `symbol=${encodeURIComponent(s.symbol)}`, `timeframe=${encodeURIComponent(s.timeframe)}`);
    const name = `part-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.arrow`;
    const path = join(this.dir, folder, name);
    await mkdir(dirname(path), { recursive: true });
    await writeDurably(`${path}.tmp`, encodeBars(s));
    await rename(`${path}.tmp`, path);
    return relative(this.dir, path).split(sep).join('/');
  }

  /** Files no manifest names: those a commit replaced, and what a crashed import left behind. */
  private async removeUnreferenced(): Promise<void> {
    for (const f of await readdir(this.dir)) if (f.startsWith(`${MANIFEST}.`) && f.endsWith('.tmp')) await rm(join(this.dir, f), { force: true });
    const keep = new Set((await this.entries()).map((e) => e.file));
    const root = join(this.dir, 'bars');
    const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const f of files) {
      if (!f.isFile()) continue;
      const rel = relative(this.dir, join(f.parentPath, f.name)).split(sep).join('/');
      if (!keep.has(rel)) await rm(join(this.dir, rel), { force: true });
    }
  }

  private async readManifest(): Promise<Manifest | null> {
    const path = join(this.dir, MANIFEST);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Pi5Error('PI5_ERR_IO', `${path}: cannot read the bar catalog (${(e as Error).message})`, { file: path });
    }
    let m: Partial<Manifest>;
    try {
      m = JSON.parse(text) as Partial<Manifest>;
    } catch {
      m = {};
    }
    if (m.format !== 'pi5-bar-catalog' || m.version !== 1 || !Array.isArray(m.series)) {
      throw new Pi5Error('PI5_ERR_IO', `${path}: not a version 1 pi5 bar catalog manifest`, { file: path });
    }
    return m as Manifest;
  }
}

/** Index of the first bar after `t` (ts ascending); the length when none. */
function firstAfter(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function bySeries(a: CatalogEntry, b: CatalogEntry): number {
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.timeframe < b.timeframe ? -1 : a.timeframe > b.timeframe ? 1 : 0;
}

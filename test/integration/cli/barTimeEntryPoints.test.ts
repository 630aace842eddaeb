// Every entry point that reads bar files takes the bar-time label and gives an end-labelled CSV the keys of its
// open-labelled twin: `pi5 backtest --data`, `pi5 optimize --data`, `pi5 data import`, `pi5 data stream
// --provider csv`, and the replays of `pi5 serve` / `pi5 trade` (flags and config go through replaySource). The
// API's backtests read stored bars only (already keyed by open), so they take no bar-time field. The end-labelled
// runs are real processes; their open-labelled twins and a bad-usage run use the same built program in this
// process (pi5InProcess), sparing a Node start and the CLI's modules per call.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFlags, replaySource } from '../../../src/cli/commands/serve.js';
import { loadSeries } from '../../../src/cli/loadData.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { pi5, pi5Async, pi5InProcess } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const INDEX = sharedData('INDEX-2006-5min.csv');
let dir = '';
/** The open-labelled twin, under the same file name (the symbol comes from it). */
let twin = '';

/** The same bars labelled by their open: every Time column moved back five minutes (no bar crosses midnight). */
function openLabelledTwin(text: string): string {
  const [header, ...rows] = text.trim().split('\n');
  const moved = rows.map((row) => {
    const cells = row.split(',');
    const [h, m, s] = (cells[1] ?? '').split(':').map(Number);
    const total = (h ?? 0) * 60 + (m ?? 0) - 5;
    cells[1] = `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}:${String(s ?? 0).padStart(2, '0')}`;
    return cells.join(',');
  });
  return [header, ...moved].join('\n') + '\n';
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-bartime-'));
  await mkdir(join(dir, 'twin'));
  twin = join(dir, 'twin', 'INDEX-2006-5min.csv');
  await writeFile(twin, openLabelledTwin(await readFile(INDEX, 'utf8')));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const BERLIN = ['--timezone', 'Europe/Berlin'];
/** A strategy whose trades depend on the bar keys: its opening range is the first 30 minutes of the Berlin session. */
const ORB = ['--strategy', 'opening-range-breakout', '--param', 'timeZone=Europe/Berlin'];

describe('an end-labelled CSV read with bar time close equals its open-labelled twin', () => {
  it('pi5 backtest --data', async () => {
    const [a, b] = [join(dir, 'end.json'), join(dir, 'open.json')];
    const [byEnd, byOpen] = await Promise.all([
      pi5Async(['backtest', '--data', INDEX, ...BERLIN, '--bar-time', 'close', ...ORB, '--json', a, '--quiet']),
      pi5InProcess(['backtest', '--data', twin, ...BERLIN, ...ORB, '--json', b, '--quiet']),
    ]);
    expect([byEnd.code, byEnd.stderr, byOpen.code]).toEqual([0, '', 0]);
    const [end, open] = [JSON.parse(await readFile(a, 'utf8')) as Record<string, unknown>, JSON.parse(await readFile(b, 'utf8')) as Record<string, unknown>];
    expect((end.trades as unknown[]).length).toBeGreaterThan(5);
    expect((end.equityCurve as [string, number][])[0]?.[0]).toBe('2006-01-02T08:00:00.000Z');
    for (const k of ['trades', 'equityCurve', 'metrics', 'openPositions']) expect(end[k], k).toEqual(open[k]);
  });

  it('pi5 optimize --data', async () => {
    const grid = ['--grid', 'rangeMinutes=15:45:15', '--objective', 'totalReturn', '--workers', '1'];
    const [a, b] = [join(dir, 'opt-end.json'), join(dir, 'opt-open.json')];
    const [byEnd, byOpen] = await Promise.all([
      pi5Async(['optimize', '--data', INDEX, ...BERLIN, '--bar-time', 'close', ...ORB, ...grid, '--json', a, '--quiet']),
      pi5InProcess(['optimize', '--data', twin, ...BERLIN, ...ORB, ...grid, '--json', b, '--quiet']),
    ]);
    expect([byEnd.code, byEnd.stderr, byOpen.code]).toEqual([0, '', 0]);
    const trials = async (f: string): Promise<unknown> => (JSON.parse(await readFile(f, 'utf8')) as { trials: unknown }).trials;
    const end = await trials(a);
    expect(Array.isArray(end) && end.length).toBe(3);
    expect(end).toEqual(await trials(b));
  }, 300_000);

  it('pi5 data import, read back by pi5 data export', async () => {
    const exported: string[] = [];
    for (const [file, extra, name] of [[INDEX, ['--bar-time', 'close'], 'end'], [twin, [], 'open']] as const) {
      const env = { ...process.env, PI5_DATA_DIR: join(dir, `store-${name}`) };
      const run = name === 'end' ? pi5Async : pi5InProcess;
      const imp = await run(['data', 'import', file, ...BERLIN, ...extra], { env });
      expect(imp.code, imp.stderr).toBe(0);
      const out = await run(['data', 'export', '--symbol', 'INDEX'], { env });
      expect(out.code, out.stderr).toBe(0);
      exported.push(out.stdout);
    }
    expect(exported[0]?.split('\n').length).toBeGreaterThan(2142);
    // The file's first bar, 09:05 Berlin (08:05 UTC), stored as the bar that opened at 08:00 UTC.
    expect(exported[0]?.split('\n')[1]?.split(',')[0]).toMatch(/^2006-01-02.08:00(:00)?(\.000)?Z?$/);
    expect(exported[0]).toBe(exported[1]);
  }, 300_000);

  it('pi5 data stream --provider csv', async () => {
    const [byEnd, byOpen] = await Promise.all([
      pi5Async(['data', 'stream', '--provider', 'csv', '--data', INDEX, '--bar-time', 'close', '--json', '--limit', '40']),
      pi5Async(['data', 'stream', '--provider', 'csv', '--data', twin, '--json', '--limit', '40']),
    ]);
    expect([byEnd.code, byOpen.code]).toEqual([0, 0]);
    const lines = byEnd.stdout.trim().split('\n');
    expect(lines).toHaveLength(40);
    // Without --timezone the local times read as UTC: the file's first bar, labelled 09:05, opened at 09:00.
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ type: 'bar', ts: '2006-01-02T09:00:00.000Z' });
    expect(byEnd.stdout).toBe(byOpen.stdout);
    const refused = await pi5Async(['data', 'stream', '--provider', 'store', '--symbols', 'X', '--bar-time', 'close', '--limit', '1']);
    expect([refused.code, refused.stderr.includes('--bar-time')]).toEqual([2, true]);
  });

  it('the replays of pi5 serve and pi5 trade (--replay-data with --bar-time, or session.replay.barTime)', async () => {
    const byEnd = await replaySource(replayFlags({ replayData: [INDEX], barTime: 'close' }));
    const byOpen = await replaySource(replayFlags({ replayData: [twin] }));
    const [end, open] = [byEnd?.series[0], byOpen?.series[0]];
    expect(end?.length).toBe(2142);
    expect(Array.from(end?.ts ?? [])).toEqual(Array.from(open?.ts ?? []));
    expect(Array.from(end?.close ?? [])).toEqual(Array.from(open?.close ?? []));
    // Stored bars are open-keyed already: close on a store replay is refused rather than ignored.
    const e = await replaySource({ symbols: ['INDEX'], timeframe: '5m', barTime: 'close' }).catch((x: unknown) => x);
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_BAD_USAGE');
  });
});

describe('--bar-time close', () => {
  it('gives an end-labelled CSV the keys of its open-labelled twin as the file loader reads it', async () => {
    const [byEnd] = await loadSeries({ paths: [INDEX], timeZone: 'Europe/Berlin', barTime: 'close' });
    const [byOpen] = await loadSeries({ paths: [twin], timeZone: 'Europe/Berlin', barTime: 'open' });
    const [asIs] = await loadSeries({ paths: [INDEX], timeZone: 'Europe/Berlin' });
    expect(byEnd?.length).toBe(2142);
    expect(Array.from(byEnd?.ts ?? [])).toEqual(Array.from(byOpen?.ts ?? []));
    expect(Array.from(byEnd?.close ?? [])).toEqual(Array.from(asIs?.close ?? []));
    // The first bar of the file, 09:05 Berlin (08:05 UTC), is the bar that opened at 09:00.
    expect(new Date(byEnd?.ts[0] ?? 0).toISOString()).toBe('2006-01-02T08:00:00.000Z');
  });

  it('is refused for daily bars, which are keyed by trading date', async () => {
    const e = await loadSeries({ paths: [sharedData('NVDA-1999-2014.csv')], barTime: 'close' }).catch((x: unknown) => x);
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_BAD_USAGE');
  });

  it('is a flag of pi5 backtest', async () => {
    const r = pi5(['backtest', '--data', INDEX, '--strategy', 'buy-and-hold', '--timezone', 'Europe/Berlin', '--bar-time', 'close', '--quiet']);
    expect(r.code).toBe(0);
    const bad = await pi5InProcess(['backtest', '--data', INDEX, '--strategy', 'buy-and-hold', '--bar-time', 'middle', '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bar-time middle');
  });
});

// CSV bars replayed as a LiveFeed: time order across symbols with ties in file order, a symbol filter, ×N
// pacing against the clock, a final 'closed' status, and bad requests refused.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { CsvReplayFeed, csvSource, parseSpeed } from '../../../../src/data/providers/csvReplayFeed.js';
import { liveFeed } from '../../../../src/data/providers/live.js';
import type { LiveBar, LiveStatus } from '../../../../src/data/providers/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function csv(name: string, rows: ReadonlyArray<[string, number]>): string {
  const path = join(tmp, name);
  writeFileSync(path, 'timestamp,open,high,low,close,volume\n' + rows.map(([t, c]) => `${t},${c},${c + 1},${c - 1},${c},100`).join('\n') + '\n');
  return path;
}

// Minute bars: AAA at :30 :31 :33, BBB at :31 :32 :33 (shared minutes are ties).
const aaa = csv('AAA.csv', [['2024-01-02T14:30:00Z', 10], ['2024-01-02T14:31:00Z', 11], ['2024-01-02T14:33:00Z', 13]]);
const bbb = csv('BBB.csv', [['2024-01-02T14:31:00Z', 21], ['2024-01-02T14:32:00Z', 22], ['2024-01-02T14:33:00Z', 23]]);

async function drain(f: CsvReplayFeed): Promise<{ bars: LiveBar[]; statuses: LiveStatus[]; ms: number }> {
  const bars: LiveBar[] = [];
  const statuses: LiveStatus[] = [];
  const t0 = Date.now();
  const done = new Promise<void>((resolve) => {
    f.on('bar', (b) => bars.push(b));
    f.on('status', (s) => {
      statuses.push(s);
      if (s.state === 'closed') resolve();
    });
  });
  await f.connect();
  await done;
  return { bars, statuses, ms: Date.now() - t0 };
}

const line = (b: LiveBar): string => `${new Date(b.bar.ts).toISOString().slice(11, 16)} ${b.bar.symbol} ${b.bar.close}`;

describe('csv replay feed', () => {
  it('replays several files at max speed in time order, ties in file order, then closes with a count', async () => {
    const f = new CsvReplayFeed({ load: csvSource([aaa, bbb]), source: 'AAA.csv, BBB.csv' });
    const r = await drain(f);
    expect(r.bars.map(line)).toEqual(['14:30 AAA 10', '14:31 AAA 11', '14:31 BBB 21', '14:32 BBB 22', '14:33 AAA 13', '14:33 BBB 23']);
    expect(r.bars[0]).toEqual({ bar: { symbol: 'AAA', timeframe: '1m', ts: Date.UTC(2024, 0, 2, 14, 30), open: 10, high: 11, low: 9, close: 10, volume: 100 }, backfilled: false });
    expect(r.statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'subscribed', 'closed']);
    expect(r.statuses[2]?.detail).toBe('bars AAA,BBB (6 bars, max speed)');
    expect(r.statuses[3]?.detail).toBe('end of data: 6 bars replayed');
  });

  it('replays only the subscribed symbols, from a directory', async () => {
    const f = liveFeed('csv', { data: [tmp] }) as CsvReplayFeed;
    await f.subscribe({ bars: ['bbb'] });
    const r = await drain(f);
    expect(r.bars.map(line)).toEqual(['14:31 BBB 21', '14:32 BBB 22', '14:33 BBB 23']);
  });

  it('paces ×N real time: 3 minutes of bars at ×1800 take at least 100 ms of wall time', async () => {
    const f = new CsvReplayFeed({ load: csvSource([aaa, bbb]), speed: 1800 });
    const r = await drain(f);
    expect(r.bars).toHaveLength(6);
    // 14:30 → 14:33 is 180 s of market time; at ×1800 that is 100 ms of wall time. Only the lower bound holds on
    // a loaded machine; the exact schedule is checked on a simulated clock below.
    expect(r.ms).toBeGreaterThanOrEqual(95);
  });

  it('paces ×N on its clock: each bar goes out at (bar time − first bar time) / N, measured from the start', async () => {
    const clock = new SimulatedClock(5_000);
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
      clock.advanceTo(clock.now() + ms);
    };
    const f = new CsvReplayFeed({ load: csvSource([aaa, bbb]), speed: 1800, clock, sleep });
    const at: number[] = [];
    // A slow listener: the 14:31 AAA bar takes 20 ms; the next wait shrinks by as much, so the replay does not drift.
    f.on('bar', (b) => {
      at.push(clock.now() - 5_000);
      if (b.bar.symbol === 'AAA' && b.bar.close === 11) clock.advanceTo(clock.now() + 20);
    });
    await drain(f);
    const step = 60_000 / 1800;
    expect(at.length).toBe(6);
    [0, step, step + 20, 2 * step, 3 * step, 3 * step].forEach((want, i) => expect(at[i]).toBeCloseTo(want, 9));
    expect(sleeps.length).toBe(3);
    [step, step - 20, step].forEach((want, i) => expect(sleeps[i]).toBeCloseTo(want, 9));
  });

  it('stops at close() without further bars', async () => {
    const f = new CsvReplayFeed({ load: csvSource([aaa, bbb]), speed: 60 });
    const bars: LiveBar[] = [];
    const statuses: string[] = [];
    f.on('bar', (b) => bars.push(b));
    f.on('status', (s) => statuses.push(s.state));
    await f.connect();
    await new Promise((r) => setTimeout(r, 50));
    await f.close();
    await new Promise((r) => setTimeout(r, 50));
    // At ×60 the second minute is due after 1 s: only the first step went out.
    expect(bars.map(line)).toEqual(['14:30 AAA 10']);
    expect(statuses.filter((s) => s === 'closed')).toHaveLength(1);
  });

  it('refuses quotes, unknown symbols and bad speeds', async () => {
    const f = new CsvReplayFeed({ load: csvSource([aaa]), source: 'AAA.csv' });
    await expect(f.subscribe({ quotes: ['AAA'] })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await f.subscribe({ bars: ['ZZZ'] });
    await expect(f.connect()).rejects.toMatchObject({ code: 'PI5_ERR_NO_DATA', message: 'csv replay: no bars for ZZZ in AAA.csv (symbols: AAA)' });
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('x100')).toBe(100);
    expect(() => parseSpeed('0')).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
    expect(() => liveFeed('csv', {})).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
  });
});

// Through the built CLI against the fake Yahoo, into PGlite in a temp PI5_DATA_DIR: `data fetch` stores raw bars
// and the corporate actions (idempotently), `data export --adjust` and `backtest --adjust` derive adjusted
// series from them on read, `data actions` lists them; `data stream` replays a CSV file, the store and quotes.
// `data stream` runs as its own process (it keeps running and handles signals); the other commands run the built
// program inside this process (pi5InProcess), which saves a process start and a cold PGlite per call.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess } from '../../../helpers/cli.js';
import { startFakeYahoo, type FakeYahoo } from './fakeYahoo.js';
import { chartPayload, latestPayload, type RawBar } from './yahooFixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-adjusted-cli-'));
let fake: FakeYahoo;
beforeAll(async () => {
  fake = await startFakeYahoo();
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: join(tmp, 'data'), YAHOO_BASE_URL: fake.baseUrl, PI5_PROVIDER_CACHE_TTL_S: '0' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (args[1] !== 'stream') return pi5InProcess(args, { env });
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

// As traded: a dividend of 1.04 goes ex on Jan 5 (close before: 104 → factor 0.99), a 2:1 split on Jan 8.
const CLOSES: ReadonlyArray<[string, number]> = [['2024-01-02', 100], ['2024-01-03', 102], ['2024-01-04', 104], ['2024-01-05', 103], ['2024-01-08', 52], ['2024-01-09', 53], ['2024-01-10', 54]];
const bars: RawBar[] = CLOSES.map(([at, c]) => ({ at, open: c - 1, high: c + 1, low: c - 2, close: c, volume: 1000 }));

const closes = (csv: string): number[] => csv.trim().split('\n').slice(1).map((l) => Number(l.split(',')[4]));
const volumes = (csv: string): number[] => csv.trim().split('\n').slice(1).map((l) => Number(l.split(',')[5]));
const fetchArgs = ['data', 'fetch', '--provider', 'yahoo', '--symbols', 'ACME', '--from', '2024-01-02', '--to', '2024-01-10'];

describe('pi5 data fetch (raw) and --adjust on read, data actions, data stream', () => {
  it('stores raw bars and the actions; export and backtest adjust on read; a re-fetch writes nothing new', async () => {
    fake.handle((r) => {
      if (r.params.get('interval') === '1mo') return { body: chartPayload({ symbol: r.symbol, bars: [] }) };
      return { body: chartPayload({ symbol: r.symbol, bars, splits: [{ date: '2024-01-08', numerator: 2, denominator: 1 }], dividends: [{ date: '2024-01-05', amount: 1.04 }] }) };
    });
    const f = await run(fetchArgs);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/fetched 7 bars \(7 new or changed\) into pglite, raw prices; 2 corporate actions \(2 new or changed\)/);
    const exported = await run(['data', 'export', '--symbol', 'ACME', '--timeframe', '1d']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(closes(exported.stdout)).toEqual(CLOSES.map(([, c]) => c));
    expect(volumes(exported.stdout)).toEqual(Array(7).fill(1000));

    const all = await run(['data', 'export', '--symbol', 'ACME', '--timeframe', '1d', '--adjust', 'all']);
    expect(all.code, all.stderr).toBe(0);
    // Before the dividend: /2 × 0.99; between dividend and split: /2; from the split on: as traded.
    expect(closes(all.stdout)).toEqual([49.5, 50.49, 51.48, 51.5, 52, 53, 54]);
    expect(volumes(all.stdout)).toEqual([2000, 2000, 2000, 2000, 1000, 1000, 1000]);
    const splits = await run(['data', 'export', '--symbol', 'ACME', '--timeframe', '1d', '--adjust', 'splits']);
    expect(closes(splits.stdout)).toEqual([50, 51, 52, 51.5, 52, 53, 54]);
    // Relative to the last bar exported: up to Jan 5 only the dividend has gone ex (factor 0.99 before it).
    const upTo = await run(['data', 'export', '--symbol', 'ACME', '--timeframe', '1d', '--to', '2024-01-05', '--adjust', 'all']);
    expect(closes(upTo.stdout)).toEqual([99, 100.98, 102.96, 103]);
    const bad = await run(['data', 'export', '--symbol', 'ACME', '--timeframe', '1d', '--adjust', 'dividends']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--adjust: "dividends" is not one of none, splits, all/);

    const listed = await run(['data', 'actions', '--symbol', 'acme']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe('dividend ACME 2024-01-05 1.04 USD (yahoo)\nsplit ACME 2024-01-08 2:1 (yahoo)\n2 corporate action(s) for ACME\n');

    const again = await run(fetchArgs);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/fetched 7 bars \(0 new or changed\) into pglite, raw prices; 2 corporate actions \(0 new or changed\)/);

    const json = await run(['data', 'actions', '--symbol', 'ACME', '--from', '2024-01-06', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ kind: 'split', symbol: 'ACME', ts: Date.UTC(2024, 0, 8), numerator: 2, denominator: 1, source: 'yahoo', exDate: '2024-01-08' }]);

    // The stored bars replayed as a live feed, then the feed ends on its own.
    const replay = await run(['data', 'stream', '--provider', 'store', '--symbols', 'ACME', '--timeframe', '1d', '--from', '2024-01-08', '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { close: number }).close)).toEqual([52, 53, 54]);
    expect(replay.stderr).toMatch(/store: closed: end of data: 3 bars replayed/);
  });

  it('exports a split-adjusted series with the decimals it carries, not the raw tick', async () => {
    // AAPL as traded around its 4:1 split of 2020-08-31: every price before it has 2 decimals, its quarter up to 4.
    const traded: RawBar[] = [
      { at: '2020-01-02', open: 229.4, high: 234.17, low: 228.84, close: 231.91, volume: 1000 },
      { at: '2020-01-03', open: 230.03, high: 233.07, low: 229.3, close: 230.99, volume: 1100 },
      { at: '2020-08-28', open: 504.05, high: 505.77, low: 498.31, close: 499.23, volume: 1200 },
      { at: '2020-08-31', open: 127.58, high: 131, low: 126, close: 129.04, volume: 5000 },
      { at: '2020-09-01', open: 132.76, high: 134.8, low: 130.53, close: 134.18, volume: 6000 },
    ];
    fake.handle((r) => {
      if (r.params.get('interval') === '1mo') return { body: chartPayload({ symbol: r.symbol, bars: [] }) };
      return { body: chartPayload({ symbol: r.symbol, bars: traded, splits: [{ date: '2020-08-31', numerator: 4, denominator: 1 }] }) };
    });
    const f = await run(['data', 'fetch', '--provider', 'yahoo', '--symbols', 'AAPL', '--from', '2020-01-02', '--to', '2020-09-01']);
    expect(f.code, f.stderr).toBe(0);
    const out = await run(['data', 'export', '--symbol', 'AAPL', '--timeframe', '1d', '--adjust', 'splits']);
    expect(out.code, out.stderr).toBe(0);
    const rows = out.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows[0]).toEqual(['2020-01-02', '57.35', '58.5425', '57.21', '57.9775', '4000']);
    // Hand-computed: before the ex-date prices ÷ 4 and volume × 4; from it on, as traded.
    expect(rows).toHaveLength(traded.length);
    for (const [i, b] of traded.entries()) {
      const k = b.at < '2020-08-31' ? 4 : 1;
      const row = rows[i] ?? [];
      expect(row[0]).toBe(b.at);
      [b.open, b.high, b.low, b.close].forEach((p, j) => expect(Math.abs(Number(row[j + 1]) - p / k)).toBeLessThan(1e-6));
      expect(Number(row[5])).toBe(b.volume * k);
    }
    // As traded, the export keeps the instrument's two decimals.
    const raw = await run(['data', 'export', '--symbol', 'AAPL', '--timeframe', '1d']);
    expect(raw.stdout.split('\n')[1]).toBe('2020-01-02,229.40,234.17,228.84,231.91,1000');
  });

  it('backtests on adjusted stored bars with --adjust and says so in the JSON and the summary', async () => {
    const out = join(tmp, 'adjusted.json');
    const args = ['backtest', '--symbols', 'ACME', '--timeframe', '1d', '--strategy', 'buy-and-hold', '--size', '10'];
    const r = await run([...args, '--adjust', 'all', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Prices +split- and dividend-adjusted prices/);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { config: { adjustment: string; data: string[] }; openPositions: { avgPrice: number; lastPrice: number }[] };
    expect(result.config).toMatchObject({ adjustment: 'all', data: ['store'] });
    // Bought at the open of Jan 3: 101 as traded, 101 / 2 × 0.99 adjusted; marked to the last close, 54 either way.
    expect(result.openPositions[0]).toMatchObject({ avgPrice: 49.995, lastPrice: 54 });

    const rawOut = join(tmp, 'raw.json');
    const raw = await run([...args, '--json', rawOut]);
    expect(raw.code, raw.stderr).toBe(0);
    expect(raw.stdout).not.toMatch(/Prices/);
    const rawResult = JSON.parse(readFileSync(rawOut, 'utf8')) as { config: { adjustment: string }; openPositions: { avgPrice: number }[] };
    expect(rawResult.config.adjustment).toBe('none');
    expect(rawResult.openPositions[0]?.avgPrice).toBe(101);

    const bad = await run([...args, '--adjust', 'yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--adjust: "yes" is not one of none, splits, all/);
    const csv = await run([...args.slice(0, 1), '--data', join(tmp, 'none.csv'), ...args.slice(1), '--adjust', 'splits']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--adjust splits: applies to bars read from the store/);
  });

  it('streams a CSV file at ×100 real time and ends after the last bar', async () => {
    const file = join(tmp, 'XYZ.csv');
    // Seconds apart, so ×100 replays them in ~40 ms.
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,2,0.5,1.5,10\n2024-01-02T14:30:02Z,1.5,2,1,1.75,20\n2024-01-02T14:30:04Z,1.75,2,1.5,2,30\n');
    const r = await run(['data', 'stream', '--provider', 'csv', '--data', file, '--speed', '100']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '2024-01-02T14:30:00.000Z bar   XYZ 2s o=1 h=2 l=0.5 c=1.5 v=10',
      '2024-01-02T14:30:02.000Z bar   XYZ 2s o=1.5 h=2 l=1 c=1.75 v=20',
      '2024-01-02T14:30:04.000Z bar   XYZ 2s o=1.75 h=2 l=1.5 c=2 v=30',
    ]);
    expect(r.stderr).toMatch(/csv: subscribed: bars XYZ \(3 bars, ×100\)\ncsv: closed: end of data: 3 bars replayed/);
  });

  it('polls Yahoo quotes with --quotes until --limit', async () => {
    const t0 = Date.UTC(2024, 5, 3, 14, 30) / 1000;
    fake.handle((r, n) => ({ body: latestPayload(r.symbol, 190 + n / 4, t0 + n) }));
    const r = await run(['data', 'stream', '--provider', 'yahoo', '--symbols', 'AAPL', '--quotes', '--poll', '0.05', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2024-06-03T14:30:01.000Z quote AAPL bid 190.25 x 0 ask 190.25 x 0\n2024-06-03T14:30:02.000Z quote AAPL bid 190.5 x 0 ask 190.5 x 0\n');
    expect(r.stderr).toMatch(/yahoo: connecting: polling every 0.05 s/);
  });
});

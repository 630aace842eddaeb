// `--timezone` reaches intraday strategies' sessions, and `--bar-time close` turns end-labelled bars into the
// open-time keys of their open-labelled twin. Both on the European 5-minute index sample (bars labelled by
// their end, 09:05 … 17:30 local).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeries } from '../../../src/cli/loadData.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { pi5 } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const INDEX = sharedData('INDEX-2006-5min.csv');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-tz-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The local calendar day of an instant in a zone. */
function localDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

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

describe('pi5 backtest --timezone on an intraday strategy', () => {
  it('puts opening-range-breakout on the Berlin session: every trade closes the day it opened', async () => {
    const trades = join(dir, 'orb-trades.csv');
    const r = pi5(['backtest', '--data', INDEX, '--strategy', 'opening-range-breakout', '--timezone', 'Europe/Berlin', '--trades', trades, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = (await readFile(trades, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const [entry, exit] = [row[3] ?? '', row[5] ?? ''];
      expect(localDay(exit, 'Europe/Berlin'), `${entry} → ${exit}`).toBe(localDay(entry, 'Europe/Berlin'));
    }
  }, 60_000);

  it('still lets --param timeZone choose another session zone (New York: the Berlin bars end before its close)', async () => {
    const trades = join(dir, 'orb-ny.csv');
    const r = pi5(['backtest', '--data', INDEX, '--strategy', 'opening-range-breakout', '--timezone', 'Europe/Berlin', '--param', 'timeZone=America/New_York', '--trades', trades, '--quiet']);
    expect(r.code).toBe(0);
    const rows = (await readFile(trades, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.some((row) => localDay(row[3] ?? '', 'America/New_York') !== localDay(row[5] ?? '', 'America/New_York'))).toBe(true);
  }, 60_000);
});

describe('--bar-time close', () => {
  it('gives an end-labelled CSV the keys of its open-labelled twin', async () => {
    const twin = join(dir, 'INDEX-open.csv');
    await writeFile(twin, openLabelledTwin(await readFile(INDEX, 'utf8')));
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

  it('is a flag of pi5 backtest', () => {
    const r = pi5(['backtest', '--data', INDEX, '--strategy', 'buy-and-hold', '--timezone', 'Europe/Berlin', '--bar-time', 'close', '--quiet']);
    expect(r.code).toBe(0);
    const bad = pi5(['backtest', '--data', INDEX, '--strategy', 'buy-and-hold', '--bar-time', 'middle', '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bar-time middle');
  }, 60_000);
});

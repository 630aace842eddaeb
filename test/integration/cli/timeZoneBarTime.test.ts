// `--timezone` reaches intraday strategies' sessions, on the European 5-minute index sample (bars labelled by
// their end, 09:05 … 17:30 local). `--bar-time close`: barTimeEntryPoints.test.ts.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });

  it('still lets --param timeZone choose another session zone (New York: the Berlin bars end before its close)', async () => {
    const trades = join(dir, 'orb-ny.csv');
    const r = pi5(['backtest', '--data', INDEX, '--strategy', 'opening-range-breakout', '--timezone', 'Europe/Berlin', '--param', 'timeZone=America/New_York', '--trades', trades, '--quiet']);
    expect(r.code).toBe(0);
    const rows = (await readFile(trades, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.some((row) => localDay(row[3] ?? '', 'America/New_York') !== localDay(row[5] ?? '', 'America/New_York'))).toBe(true);
  });
});

// The admin page's system status in words: nested status objects read as sentences, never as JSON.

import { describe, expect, it } from 'vitest';
import { duration, plain, systemRows } from '../../../web/src/systemInfo.js';

describe('system status in words', () => {
  it('says memory, database, uptime and the session in words, known keys first', () => {
    const rows = systemRows({
      extra: { a: 1, b: [2, 3] },
      session: { id: 'demo', state: 'running', failure: null, waiting: null, step: 97, steps: 300, marketTime: Date.UTC(2015, 4, 15), stepIntervalMs: 500, strategies: ['sma-demo'], killSwitch: 'reset', source: 'replay', dataStale: null },
      version: '0.1.0',
      uptimeSec: 4000,
      memory: { rssBytes: 387_284_992, heapUsedBytes: 36_401_024 },
      database: { engine: 'postgres', timescale: true },
      cache: 'up',
    });
    expect(rows).toEqual([
      ['Version', '0.1.0'],
      ['Up for', '1 h 6 min'],
      ['Memory', '369.3 MiB resident, 34.7 MiB JavaScript heap'],
      ['Database', 'postgres with TimescaleDB'],
      ['Cache', 'up'],
      ['Session', 'demo: running · step 97 of 300 · market time 2015-05-15 00:00:00 · replay · 500 ms a step · strategies sma-demo · kill switch armed'],
      ['extra', 'a 1, b 2, 3'],
    ]);
    expect(rows.some(([, v]) => v.includes('{'))).toBe(false);
  });

  it('writes durations and odd values plainly', () => {
    expect(duration(42)).toBe('42 s');
    expect(duration(125)).toBe('2 min 5 s');
    expect(duration(200_000)).toBe('2 d 7 h');
    expect(plain(null)).toBe('–');
    expect(plain([])).toBe('none');
    expect(plain(1234.5)).toBe('1,234.50');
    expect(plain({ name: 'yahoo', state: 'open', retryAt: null })).toBe('name yahoo, state open');
    expect(systemRows({ session: 'gone' })).toEqual([['Session', 'gone']]);
  });
});

// Which stored timeframe a run at another timeframe is built from: only ones whose buckets fit whole into
// the target's (weeks from Monday, months from the 1st), the coarsest of them, else PI5_ERR_NO_DATA.

import { describe, expect, it } from 'vitest';
import { dividesTimeframe, planStoreRead } from '../../../src/persistence/storeSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../../../src/model/timeframe.js';

const tf = (t: string): TimeframeSpec => {
  const s = parseTimeframe(t);
  if (s === null) throw new Error(t);
  return s;
};

describe('building a coarser timeframe from a stored one', () => {
  it('accepts only timeframes whose buckets fit whole into the target', () => {
    const yes = [['1m', '5m'], ['45m', '1w'], ['15m', '1h'], ['1m', '1d'], ['1d', '1w'], ['1h', '1w'], ['1d', '1M'], ['1M', '3M'], ['1w', '2w'], ['1d', '5d']];
    const no = [['45m', '1h'], ['7m', '1d'], ['2d', '1w'], ['1w', '1M'], ['7m', '1w'], ['1d', '1d'], ['1w', '1d'], ['2M', '3M']];
    for (const [a, b] of yes) expect(dividesTimeframe(tf(a as string), tf(b as string)), `${a} → ${b}`).toBe(true);
    for (const [a, b] of no) expect(dividesTimeframe(tf(a as string), tf(b as string)), `${a} → ${b}`).toBe(false);
  });

  it('prefers the timeframe itself, then the coarsest that divides it, and names symbols with neither', () => {
    const stored = (symbol: string, timeframe: string): { symbol: string; timeframe: string; firstTs: number; lastTs: number; count: number } => ({ symbol, timeframe, firstTs: 0, lastTs: 0, count: 1 });
    const list = [stored('A', '1m'), stored('A', '1d'), stored('A', '1w'), stored('B', '1m'), stored('B', '7m'), stored('C', '2d')];
    const plan = planStoreRead({ symbols: ['A', 'B'], timeframe: '1w' }, list);
    expect(Object.fromEntries([...plan].map(([s, p]) => [s, p.storedTf]))).toEqual({ A: '1w', B: '1m' });
    expect(() => planStoreRead({ symbols: ['A', 'C'], timeframe: '1w' }, list)).toThrow(expect.objectContaining({ code: 'PI5_ERR_NO_DATA', message: expect.stringMatching(/for C;/) }));
  });
});

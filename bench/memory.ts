// Memory per in-memory bar: our columnar series against an array of plain bar objects.

import { generateSyntheticBars } from '../src/data/synthetic.js';
import type { Bar } from '../src/model/types.js';
import { cost, gc, type BenchRecord } from './measure.js';

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function benchMemory(): BenchRecord {
  const n = 1_000_000;
  gc();
  let before = used();
  const s = generateSyntheticBars({ symbol: 'SYN', bars: n, seed: 3, timeframe: '1m' });
  gc();
  const ours = (used() - before) / n;
  gc();
  before = used();
  const objects: Bar[] = new Array<Bar>(n);
  for (let i = 0; i < n; i++) {
    objects[i] = { symbol: s.symbol, timeframe: s.timeframe, ts: s.ts[i] as number, open: s.open[i] as number, high: s.high[i] as number, low: s.low[i] as number, close: s.close[i] as number, volume: s.volume[i] as number };
  }
  gc();
  const base = (used() - before) / n;
  if (objects.length !== s.length) throw new Error('unreachable');
  return cost('memory.heapPerBar', ours, base, 'bytes', 'heap + array buffers per bar; baseline: array of bar objects');
}

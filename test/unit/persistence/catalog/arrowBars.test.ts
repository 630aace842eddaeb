// A catalog file is plain Arrow IPC: read back by the library's standard build (as pyarrow, pandas and polars
// would read it) with the documented schema, and decoded by us bit for bit, sub-millisecond times included.

import { tableFromIPC, TimeUnit, Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import { decodeBars, encodeBars } from '../../../../src/persistence/catalog/arrowBars.js';

describe('catalog Arrow files', () => {
  it('have a UTC µs timestamp and five float64 columns, with the series in the metadata', () => {
    const s = generateSyntheticBars({ symbol: 'ARW', bars: 50, seed: 31, timeframe: '1m', start: Date.UTC(2023, 4, 1, 13, 30), priceDecimals: 3 });
    const table = tableFromIPC(encodeBars(s));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume']);
    const ts = table.schema.fields[0]!.type as { typeId: Type; unit: TimeUnit; timezone: string };
    expect([ts.typeId, ts.unit, ts.timezone]).toEqual([Type.Timestamp, TimeUnit.MICROSECOND, 'UTC']);
    expect(table.schema.fields.slice(1).every((f) => f.typeId === Type.Float)).toBe(true);
    expect(Object.fromEntries(table.schema.metadata)).toEqual({ 'pi5.symbol': 'ARW', 'pi5.timeframe': '1m', 'pi5.price_decimals': '3' });
    expect(table.numRows).toBe(50);
    expect(Number(table.getChild('ts')!.data[0]!.values[7])).toBe(s.ts[7]! * 1000);
    expect(table.getChild('close')!.get(49)).toBe(s.close[49]);
  });

  it('decode to the same columns, keeping times to the microsecond', () => {
    const s = generateSyntheticBars({ symbol: 'ARW', bars: 20, seed: 32 });
    s.ts[3] = s.ts[3]! + 0.25;
    const back = decodeBars(encodeBars(s), 'ARW', '1d', 2, 'test');
    for (const c of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...back[c]]).toEqual([...s[c]]);
  });

  it('name the file when it is not Arrow', () => {
    expect(() => decodeBars(new TextEncoder().encode('date,open\n'), 'X', '1d', 2, '/data/x.arrow')).toThrow(/\/data\/x\.arrow: not a readable Arrow IPC file/);
  });
});

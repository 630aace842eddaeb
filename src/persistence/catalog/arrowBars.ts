// One bar series as an Arrow IPC file (Feather v2): a UTC microsecond timestamp column and five float64
// columns, which pandas (read_feather), polars (read_ipc) and pyarrow open as they are (docs/storage.md).

import { createRequire } from 'node:module';
import type * as ArrowModule from 'apache-arrow';
import { Pi5Error } from '../../core/errors.js';
import { allocateSeries, type BarSeries } from '../../model/barSeries.js';

type Arrow = typeof ArrowModule;

let arrow: Arrow | undefined;

/**
 * The library's one-file minified build: the same API as its module tree, loaded in ~0.2 s instead of ~1 s
 * (hundreds of modules) on the 2-core VM, which is most of a `pi5 backtest` from the store.
 */
function lib(): Arrow {
  arrow ??= createRequire(import.meta.url)('apache-arrow/Arrow.esnext.min') as Arrow;
  return arrow;
}

const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** The series' rows as Arrow IPC file bytes; `ts` (epoch ms, possibly fractional) is kept to the microsecond. */
export function encodeBars(s: BarSeries): Uint8Array {
  const A = lib();
  const n = s.length;
  const us = new BigInt64Array(n);
  for (let i = 0; i < n; i++) us[i] = BigInt(Math.round((s.ts[i] as number) * 1000));
  const tsType = new A.TimestampMicrosecond('UTC');
  const f64 = new A.Float64();
  const fields = [new A.Field('ts', tsType, false), ...PRICE_COLUMNS.map((c) => new A.Field(c, f64, false))];
  const meta = new Map([
    ['pi5.symbol', s.symbol],
    ['pi5.timeframe', s.timeframe],
    ['pi5.price_decimals', String(s.priceDecimals)],
  ]);
  const schema = new A.Schema(fields, meta);
  const children = [A.makeData({ type: tsType, length: n, data: us }), ...PRICE_COLUMNS.map((c) => A.makeData({ type: f64, length: n, data: s[c] }))];
  const batch = new A.RecordBatch(schema, A.makeData({ type: new A.Struct(fields), length: n, nullCount: 0, children }));
  return A.tableToIPC(new A.Table([batch]), 'file');
}

/** A series from `encodeBars` output; `where` names the file in errors. */
export function decodeBars(bytes: Uint8Array, symbol: string, timeframe: string, priceDecimals: number, where: string): BarSeries {
  const A = lib();
  let table: ArrowModule.Table;
  try {
    table = A.tableFromIPC(bytes);
  } catch (e) {
    throw new Pi5Error('PI5_ERR_IO', `${where}: not a readable Arrow IPC file (${(e as Error).message})`, { file: where });
  }
  const n = table.numRows;
  const out = allocateSeries(symbol, timeframe, n, priceDecimals);
  const tsValues = columnValues(table, 'ts', where);
  if (!(tsValues instanceof BigInt64Array)) throw new Pi5Error('PI5_ERR_IO', `${where}: column ts is not a 64-bit timestamp`, { file: where });
  let row = 0;
  for (const chunk of chunks(table, 'ts')) {
    const v = chunk as BigInt64Array;
    for (let i = 0; i < v.length; i++) out.ts[row++] = Number(v[i]) / 1000;
  }
  for (const c of PRICE_COLUMNS) {
    let at = 0;
    for (const chunk of chunks(table, c)) {
      if (!(chunk instanceof Float64Array)) throw new Pi5Error('PI5_ERR_IO', `${where}: column ${c} is not float64`, { file: where });
      out[c].set(chunk, at);
      at += chunk.length;
    }
    if (at !== n) throw new Pi5Error('PI5_ERR_IO', `${where}: column ${c} has ${at} rows, ts has ${n}`, { file: where });
  }
  return out;
}

function columnValues(table: ArrowModule.Table, name: string, where: string): ArrayLike<unknown> {
  const col = table.getChild(name);
  if (col === null) throw new Pi5Error('PI5_ERR_IO', `${where}: no column ${name}`, { file: where });
  return col.data[0]?.values ?? new BigInt64Array(0);
}

/** The column's value buffers, one per record batch, cut to each batch's length. */
function chunks(table: ArrowModule.Table, name: string): ArrayLike<unknown>[] {
  const col = table.getChild(name);
  if (col === null) return [];
  return col.data.map((d) => (d.values as Float64Array | BigInt64Array).subarray(d.offset, d.offset + d.length));
}

// Tick (trade) CSV files: a header naming the columns (time, price, size; optional bid, ask, exchange,
// conditions, symbol), one trade a line. Times are ISO 8601 with up to 9 fraction digits (kept to the µs,
// no offset = UTC) or epoch numbers (s, ms, µs or ns by magnitude). A bad line fails the whole file.

import { readFile } from 'node:fs/promises';
import { Pi5Error } from '../../core/errors.js';
import { allocateTicks, type TickSeries } from '../../model/tickSeries.js';
import { splitHeaderLine } from './header.js';

type Role = 'time' | 'price' | 'size' | 'bid' | 'ask' | 'exchange' | 'conditions' | 'symbol';
const ALIASES: Record<string, Role> = {
  ts: 'time', time: 'time', timestamp: 'time', datetime: 'time', date: 'time', sipt: 'time',
  price: 'price', last: 'price', tradeprice: 'price',
  size: 'size', qty: 'size', quantity: 'size', volume: 'size', tradesize: 'size',
  bid: 'bid', bidprice: 'bid', ask: 'ask', askprice: 'ask',
  exchange: 'exchange', venue: 'exchange', conditions: 'conditions', condition: 'conditions', symbol: 'symbol', ticker: 'symbol',
};
const REQUIRED: readonly Role[] = ['time', 'price', 'size'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

export interface TickCsv extends TickSeries {
  /** Rows of other symbols (files with a symbol column), not imported. */
  readonly otherSymbolRows: number;
}

/** Epoch µs of an ISO 8601 time or an epoch number; null when it is neither. */
export function parseTickTime(text: string): number | null {
  const m = ISO.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    // Date.UTC rolls 2024-13-02 or 25:00 over into valid instants; the fields must come back unchanged.
    const back = new Date(ms);
    if (Number.isNaN(ms) || back.getUTCMonth() + 1 !== Number(mo) || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi) || back.getUTCSeconds() !== Number(s)) return null;
    if (zone.toUpperCase() !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      if (!z) return null;
      ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    }
    return ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const [whole = '', fraction = ''] = text.split('.');
  const n = BigInt(whole);
  // By magnitude: nanoseconds from 1e17, microseconds from 1e14, milliseconds from 1e11, else seconds.
  if (n >= 10n ** 17n) return fraction === '' ? Number(n / 1000n) : null;
  if (n >= 10n ** 14n) return fraction === '' ? Number(n) : null;
  if (n >= 10n ** 11n) return Number(n) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
  return Number(n) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(8, text.length - dot - 1);
}

/** Parses a tick CSV (all or nothing: PI5_ERR_BAD_CSV names the file, line and field). */
export function parseTicksCsv(text: string, file: string, symbol: string): TickCsv {
  const lines = text.split(/\r?\n/);
  const header = splitHeaderLine(lines[0] ?? '');
  const col = new Map<Role, number>();
  header.forEach((name, i) => {
    const role = ALIASES[name.toLowerCase().replace(/[\s_-]+/g, '')];
    if (role === undefined) return;
    if (col.has(role)) throw new Pi5Error('PI5_ERR_BAD_CSV', `${file} line 1: two columns for ${role}`, { file, line: 1 });
    col.set(role, i);
  });
  const lacking = REQUIRED.filter((r) => !col.has(r));
  if (lacking.length > 0) throw new Pi5Error('PI5_ERR_BAD_CSV', `${file} line 1: no ${lacking.join(', ')} column (header: ${header.join(',')})`, { file, line: 1 });
  const rows = lines.slice(1);
  const out = allocateTicks(symbol, rows.length);
  let n = 0;
  let other = 0;
  let decimals = 0;
  rows.forEach((line, k) => {
    if (line.trim() === '') return;
    const at = k + 2;
    const cells = splitHeaderLine(line);
    const cell = (r: Role): string | undefined => {
      const i = col.get(r);
      const v = i === undefined ? undefined : cells[i];
      return v === undefined || v === '' ? undefined : v;
    };
    const bad = (field: string, value: string | undefined, why: string): Pi5Error =>
      new Pi5Error('PI5_ERR_BAD_CSV', `${file} line ${at}: ${field} ${JSON.stringify(value ?? '')} ${why}`, { file, line: at, field });
    const sym = cell('symbol');
    if (sym !== undefined && sym.toUpperCase() !== symbol.toUpperCase()) {
      other++;
      return;
    }
    const ts = parseTickTime(cell('time') ?? '');
    if (ts === null) throw bad('time', cell('time'), 'is not an ISO 8601 time or an epoch number');
    const num = (r: Role, required: boolean): number => {
      const v = cell(r);
      if (v === undefined && !required) return Number.NaN;
      const x = Number(v);
      if (v === undefined || !Number.isFinite(x)) throw bad(r, v, 'is not a number');
      return x;
    };
    const price = num('price', true);
    const size = num('size', true);
    if (size < 0) throw bad('size', cell('size'), 'is negative');
    decimals = Math.max(decimals, decimalsOf(cell('price') ?? ''));
    out.tsUs[n] = ts;
    out.price[n] = price;
    out.size[n] = size;
    out.bid[n] = num('bid', false);
    out.ask[n] = num('ask', false);
    out.exchange[n] = cell('exchange') ?? null;
    out.conditions[n] = cell('conditions') ?? null;
    n++;
  });
  return {
    ...out,
    priceDecimals: decimals,
    length: n,
    tsUs: out.tsUs.subarray(0, n),
    price: out.price.subarray(0, n),
    size: out.size.subarray(0, n),
    bid: out.bid.subarray(0, n),
    ask: out.ask.subarray(0, n),
    exchange: out.exchange.slice(0, n),
    conditions: out.conditions.slice(0, n),
    otherSymbolRows: other,
  };
}

export async function readTicksCsv(file: string, symbol: string): Promise<TickCsv> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Pi5Error('PI5_ERR_IO', `${file}: cannot read: ${(e as Error).message}`, { file });
  }
  return parseTicksCsv(text, file, symbol);
}

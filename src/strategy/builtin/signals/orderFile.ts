// Reads an order file made elsewhere (a notebook, another tool) for the `signals` strategy. Columns:
// time,symbol,side,type,quantity,limit,stop,trail,trailPercent,tif,group,role. Errors name file, line, field.

import { readFileSync } from 'node:fs';
import { Pi5Error } from '../../../core/errors.js';
import { ORDER_TYPES, TIME_IN_FORCE, type BracketRole, type OrderType, type Side, type TimeInForce } from '../../../model/types.js';

export interface OrderFileRow {
  readonly line: number;
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly quantity: number;
  readonly limit?: number;
  readonly stop?: number;
  readonly trail?: number;
  readonly trailPercent?: number;
  readonly tif: TimeInForce;
  readonly group: string | null;
  readonly role: BracketRole | null;
}

const COLUMNS = ['time', 'symbol', 'side', 'type', 'quantity', 'limit', 'stop', 'trail', 'trailPercent', 'tif', 'group', 'role'] as const;
type Column = (typeof COLUMNS)[number];
const ROLES: readonly BracketRole[] = ['entry', 'take-profit', 'stop-loss'];

function parseTime(text: string): number {
  const t = text.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (dateOnly) return Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]));
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const iso = t.replace(' ', 'T');
    return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : iso + 'Z');
  }
  return NaN;
}

export function parseOrderFile(text: string, file: string): OrderFileRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const index = new Map<string, number>(header.map((h, i) => [h.toLowerCase(), i]));
  const missing = COLUMNS.filter((c) => c !== 'trailPercent' && !index.has(c.toLowerCase()));
  if (missing.length > 0 || !index.has('trailpercent')) {
    throw new Pi5Error('PI5_ERR_BAD_CSV', `${file} line 1: missing column(s) ${[...missing, ...(index.has('trailpercent') ? [] : ['trailPercent'])].join(', ')}; expected ${COLUMNS.join(',')}`, { file, line: 1 });
  }
  const rows: OrderFileRow[] = [];
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === '') continue;
    rows.push(parseRow(raw.split(','), n + 1, file, index));
  }
  return rows;
}

function parseRow(cells: string[], line: number, file: string, index: Map<string, number>): OrderFileRow {
  const cell = (c: Column): string => (cells[index.get(c.toLowerCase()) ?? -1] ?? '').trim();
  const fail = (field: Column, why: string): Pi5Error =>
    new Pi5Error('PI5_ERR_BAD_CSV', `${file} line ${line}: ${field} ${JSON.stringify(cell(field))} ${why}`, { file, line, field });
  const num = (field: Column): number | undefined => {
    const t = cell(field);
    if (t === '') return undefined;
    const v = Number(t);
    if (!Number.isFinite(v) || v <= 0) throw fail(field, 'is not a positive number');
    return v;
  };
  const time = parseTime(cell('time'));
  if (Number.isNaN(time)) throw fail('time', 'is not a date (YYYY-MM-DD) or ISO 8601 time');
  const symbol = cell('symbol');
  if (symbol === '') throw fail('symbol', 'is empty');
  const side = cell('side').toLowerCase();
  if (side !== 'buy' && side !== 'sell') throw fail('side', 'is not buy or sell');
  const type = (cell('type') || 'market').toLowerCase() as OrderType;
  if (!ORDER_TYPES.includes(type)) throw fail('type', `is not one of ${ORDER_TYPES.join(', ')}`);
  const quantity = num('quantity');
  if (quantity === undefined || !Number.isInteger(quantity)) throw fail('quantity', 'is not a positive whole number');
  const tif = (cell('tif') || 'GTC').toUpperCase() as TimeInForce;
  if (!TIME_IN_FORCE.includes(tif)) throw fail('tif', `is not one of ${TIME_IN_FORCE.join(', ')}`);
  const role = cell('role').toLowerCase();
  if (role !== '' && !ROLES.includes(role as BracketRole)) throw fail('role', `is not one of ${ROLES.join(', ')}`);
  const group = cell('group');
  if (role !== '' && group === '') throw fail('group', 'is required when role is set');
  const row: OrderFileRow = {
    line,
    time,
    symbol,
    side,
    type,
    quantity,
    tif,
    group: group === '' ? null : group,
    role: role === '' ? null : (role as BracketRole),
    ...optional('limit', num('limit')),
    ...optional('stop', num('stop')),
    ...optional('trail', num('trail')),
    ...optional('trailPercent', num('trailPercent')),
  };
  if ((type === 'limit' || type === 'stop-limit') && row.limit === undefined) throw fail('limit', 'is required for a ' + type + ' order');
  if ((type === 'stop' || type === 'stop-limit') && row.stop === undefined) throw fail('stop', 'is required for a ' + type + ' order');
  if (type === 'trailing-stop' && (row.trail === undefined) === (row.trailPercent === undefined)) {
    throw fail('trail', 'or trailPercent (exactly one) is required for a trailing-stop order');
  }
  return row;
}

function optional<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}

export function readOrderFile(path: string): OrderFileRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Pi5Error('PI5_ERR_IO', `cannot read order file ${path}: ${(e as Error).message}`, { file: path });
  }
  return parseOrderFile(text, path);
}

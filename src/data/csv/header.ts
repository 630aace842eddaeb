// Header row → column layout: which column holds the time, prices, volume, adjusted close and symbol,
// recognising the usual spellings (Yahoo, Alpha Vantage, backtrader, o/h/l/c/v) in any order and case.

import { Pi5Error } from '../../core/errors.js';

export type ColumnRole =
  | 'datetime'
  | 'date'
  | 'time'
  | 'open'
  | 'high'
  | 'low'
  | 'close'
  | 'adjClose'
  | 'volume'
  | 'symbol'
  | 'ignore';

/** Header names, lower-cased with spaces, '_' and '-' removed; anything else is ignored. */
const ALIASES: Readonly<Record<string, ColumnRole>> = {
  datetime: 'datetime',
  timestamp: 'datetime',
  ts: 'datetime',
  opentime: 'datetime',
  date: 'date',
  time: 'time',
  open: 'open',
  o: 'open',
  high: 'high',
  h: 'high',
  low: 'low',
  l: 'low',
  close: 'close',
  c: 'close',
  adjclose: 'adjClose',
  adjustedclose: 'adjClose',
  volume: 'volume',
  vol: 'volume',
  v: 'volume',
  openinterest: 'ignore',
  oi: 'ignore',
  symbol: 'symbol',
  ticker: 'symbol',
};

/** Column indexes (-1 when absent). The time is either one column or a Date + Time pair. */
export interface CsvLayout {
  readonly names: readonly string[];
  readonly timestamp: number;
  /** Set only for a separate Date + Time pair; then `timestamp` is the Date column. */
  readonly timeOfDay: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly adjClose: number;
  readonly volume: number;
  readonly symbol: number;
}

/** Splits one header line on commas, honouring double quotes, and trims spaces and quotes. */
export function splitHeaderLine(line: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      names.push(current.trim());
      current = '';
    } else current += ch;
  }
  names.push(current.trim());
  return names;
}

function roleOf(name: string): ColumnRole {
  return ALIASES[name.toLowerCase().replace(/[\s_-]+/g, '')] ?? 'ignore';
}

/** Maps header names to a layout; PI5_ERR_BAD_CSV when a required column is missing or doubled. */
export function resolveLayout(names: readonly string[], file: string): CsvLayout {
  const found = new Map<ColumnRole, number>();
  names.forEach((name, index) => {
    const role = roleOf(name);
    if (role === 'ignore') return;
    const earlier = found.get(role);
    if (earlier !== undefined) {
      throw new Pi5Error(
        'PI5_ERR_BAD_CSV',
        `${file}: columns "${names[earlier]}" and "${name}" both hold ${role}`,
        { file, line: 1, field: role, value: name },
      );
    }
    found.set(role, index);
  });

  const col = (role: ColumnRole): number => found.get(role) ?? -1;
  // A combined date-time column wins; otherwise a Date + Time pair; otherwise whichever one exists.
  let timestamp = col('datetime');
  let timeOfDay = -1;
  if (timestamp < 0 && col('date') >= 0 && col('time') >= 0) {
    timestamp = col('date');
    timeOfDay = col('time');
  } else if (timestamp < 0) timestamp = col('date') >= 0 ? col('date') : col('time');

  const layout: CsvLayout = {
    names,
    timestamp,
    timeOfDay,
    open: col('open'),
    high: col('high'),
    low: col('low'),
    close: col('close'),
    adjClose: col('adjClose'),
    volume: col('volume'),
    symbol: col('symbol'),
  };
  const missing = (['timestamp', 'open', 'high', 'low', 'close'] as const)
    .filter((key) => layout[key] < 0)
    .map((key) => (key === 'timestamp' ? 'date' : key));
  if (missing.length > 0) {
    throw new Pi5Error('PI5_ERR_BAD_CSV', `${file}: missing column(s) ${missing.join(', ')}; found: ${names.join(', ')}`, {
      file,
      line: 1,
      missing,
      found: names,
    });
  }
  return layout;
}

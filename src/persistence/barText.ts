// COPY text format for bars: BarSeries columns → tab-separated chunks, and COPY output → BarSeries.
// Doubles are written with JS's shortest round-trip form and PostgreSQL prints float8 the same way
// (extra_float_digits = 1), so a series survives the trip bit for bit.

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, truncateSeries, type BarSeries } from '../model/barSeries.js';

const CHUNK_ROWS = 8192;
const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Throws PI5_ERR_BAD_BAR for the first non-finite value, before anything is written. */
export function assertFinite(s: BarSeries): void {
  for (const f of FIELDS) {
    const col = s[f];
    for (let i = 0; i < s.length; i++) {
      const v = col[i] as number;
      if (!Number.isFinite(v)) {
        throw new Pi5Error('PI5_ERR_BAD_BAR', `${s.symbol} ${s.timeframe} bar ${i}: ${f} ${String(v)} is not a finite number`, { symbol: s.symbol, index: i, field: f });
      }
    }
  }
}

/** Rows `ts_ms\topen\thigh\tlow\tclose\tvolume\n` in chunks; `onRows` sees the running count. */
export function* copyChunks(s: BarSeries, onRows?: (done: number) => void): Generator<string> {
  for (let start = 0; start < s.length; start += CHUNK_ROWS) {
    const end = Math.min(s.length, start + CHUNK_ROWS);
    let text = '';
    for (let i = start; i < end; i++) {
      text += `${s.ts[i] as number}\t${s.open[i] as number}\t${s.high[i] as number}\t${s.low[i] as number}\t${s.close[i] as number}\t${s.volume[i] as number}\n`;
    }
    yield text;
    onRows?.(end);
  }
}

/** Quoted SQL string literal (COPY takes no parameters); standard_conforming_strings keeps `\` literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

class Growable {
  series: BarSeries;
  n = 0;
  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    readonly decimals: number,
  ) {
    this.series = allocateSeries(symbol, timeframe, 1024, decimals);
  }
  room(): void {
    if (this.n < this.series.length) return;
    const bigger = allocateSeries(this.symbol, this.timeframe, this.series.length * 2, this.decimals);
    for (const f of FIELDS) bigger[f].set(this.series[f]);
    this.series = bigger;
  }
}

/** Parses COPY output `symbol\tts_ms\topen\thigh\tlow\tclose\tvolume` ordered by symbol, ts. */
export function parseCopyBars(text: string, timeframe: string, decimalsOf: (symbol: string) => number): BarSeries[] {
  const out: BarSeries[] = [];
  let cur: Growable | undefined;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const tab = text.indexOf('\t', pos);
    const symbol = text.slice(pos, tab);
    if (cur === undefined || cur.symbol !== symbol) {
      if (cur !== undefined) out.push(truncateSeries(cur.series, cur.n));
      cur = new Growable(symbol, timeframe, decimalsOf(symbol));
    }
    cur.room();
    const s = cur.series;
    const i = cur.n++;
    let a = tab + 1;
    for (let f = 0; f < FIELDS.length; f++) {
      let b = text.indexOf('\t', a);
      if (b < 0 || b > nl) b = nl;
      s[FIELDS[f] as (typeof FIELDS)[number]][i] = Number(text.slice(a, b));
      a = b + 1;
    }
    pos = nl + 1;
  }
  if (cur !== undefined) out.push(truncateSeries(cur.series, cur.n));
  return out;
}

// The `--trades` CSV: one closed round trip per row, full-precision numbers, ISO 8601 UTC times.

import type { ClosedTrade } from '../../model/types.js';
import { isoTime } from './format.js';
import { writeChunks } from './writeChunks.js';

export const TRADES_CSV_HEADER =
  'symbol,side,quantity,entryTime,entryPrice,exitTime,exitPrice,pnl,commission,slippage,entryBar,exitBar';

const ROWS_PER_CHUNK = 10_000;

/** RFC 4180 quoting: only when the text holds a comma, quote, line break or edge whitespace. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Non-finite numbers become empty cells, like a missing value in any spreadsheet. */
function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

function csvTime(ms: number): string {
  return isoTime(ms) ?? '';
}

export function tradeCsvRow(t: ClosedTrade): string {
  return [
    csvField(t.symbol),
    csvField(t.side),
    csvNumber(t.quantity),
    csvTime(t.entryTime),
    csvNumber(t.entryPrice),
    csvTime(t.exitTime),
    csvNumber(t.exitPrice),
    csvNumber(t.pnl),
    csvNumber(t.commission),
    csvNumber(t.slippage),
    csvNumber(t.entryBar),
    csvNumber(t.exitBar),
  ].join(',');
}

function* csvChunks(trades: readonly ClosedTrade[]): Generator<string> {
  yield `${TRADES_CSV_HEADER}\n`;
  for (let start = 0; start < trades.length; start += ROWS_PER_CHUNK) {
    const rows = trades.slice(start, start + ROWS_PER_CHUNK).map(tradeCsvRow);
    yield `${rows.join('\n')}\n`;
  }
}

/** Header plus one line per trade, each line ending in "\n". */
export function tradesToCsv(trades: readonly ClosedTrade[]): string {
  return [...csvChunks(trades)].join('');
}

export async function writeTradesCsv(path: string, trades: readonly ClosedTrade[]): Promise<void> {
  await writeChunks(path, csvChunks(trades));
}

// The `trades` array of the `--json` result written straight into byte buffers, the same text as
// JSON.stringify of tradeJson(t) for each trade: a run closing tens of thousands of trades otherwise builds an
// object and two ISO strings per trade before stringifying them all into one string.

import { Buffer } from 'node:buffer';
import { writeAscii } from '../../core/asciiBytes.js';
import type { ClosedTrade } from '../../model/types.js';
import { IsoTimeWriter, writeJsonNumber } from './jsonCurve.js';

const BLOCK_BYTES = 1 << 20;
/** One trade but for its two strings: the keys and punctuation (~150 bytes) and ten values of at most 64. */
const TRADE_BYTES = 160 + 10 * 64;

type ValueKey = 'quantity' | 'entryTime' | 'entryPrice' | 'exitTime' | 'exitPrice' | 'pnl' | 'commission' | 'slippage' | 'entryBar' | 'exitBar';

/** The values after symbol and side, in tradeJson's key order: key, its text with the comma before it, a time or not. */
const VALUES: readonly (readonly [ValueKey, string, boolean])[] = (
  ['quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'pnl', 'commission', 'slippage', 'entryBar', 'exitBar'] as const
).map((key) => [key, `,"${key}":`, key.endsWith('Time')] as const);

/** A string as JSON text in UTF-8, remembered: a run's trades share a few symbols and two sides. */
class JsonStrings {
  private readonly known = new Map<string, Buffer>();

  get(s: string): Buffer {
    let b = this.known.get(s);
    if (b === undefined) {
      b = Buffer.from(JSON.stringify(s), 'utf8');
      this.known.set(s, b);
    }
    return b;
  }
}

/**
 * Yields the comma-separated trade objects (without the outer brackets) in blocks of about 1 MiB; blocks after
 * the first start with a comma. Like equityCurveBlocks, blocks are views of two buffers used in turn: a block
 * stays unchanged until the block after the next is asked for.
 */
export function* tradeBlocks(trades: readonly ClosedTrade[]): Generator<Buffer> {
  const strings = new JsonStrings();
  const times = new IsoTimeWriter();
  const buffers = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)];
  let turn = 0;
  let buf = buffers[0] as Buffer;
  let o = 0;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i] as ClosedTrade;
    const symbol = strings.get(t.symbol);
    const side = strings.get(t.side);
    const need = TRADE_BYTES + symbol.length + side.length;
    if (o + need > buf.length) {
      if (o > 0) yield buf.subarray(0, o);
      turn ^= 1;
      // A trade larger than a block (a symbol of ~1 MB) gets a buffer of its own size.
      if ((buffers[turn] as Buffer).length < need) buffers[turn] = Buffer.allocUnsafe(need);
      buf = buffers[turn] as Buffer;
      o = 0;
    }
    o = writeAscii(buf, o, i === 0 ? '{"symbol":' : ',{"symbol":');
    o += symbol.copy(buf, o);
    o = writeAscii(buf, o, ',"side":');
    o += side.copy(buf, o);
    for (const [key, label, isTime] of VALUES) {
      o = writeAscii(buf, o, label);
      o = isTime ? times.write(buf, o, t[key]) : writeJsonNumber(buf, o, t[key]);
    }
    buf[o++] = 0x7d;
  }
  if (o > 0) yield buf.subarray(0, o);
}

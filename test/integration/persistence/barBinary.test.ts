// The binary COPY codec on its own: what the writer produces, the reader gives back bit for bit, however
// the stream is cut into chunks (rows and the header split anywhere), and cut-short output is an error.

import { describe, expect, it } from 'vitest';
import { BarCopyReader, copyBinaryChunks } from '../../../src/persistence/barBinary.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { columns } from './storeSuite.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('binary COPY codec', () => {
  // Before 2000 and before 1970 too: the timestamp is a signed count of µs from 2000-01-01.
  const s = generateSyntheticBars({ symbol: 'BIN', bars: 3000, seed: 12, timeframe: '1m', start: Date.UTC(1969, 11, 31, 23, 0) });
  const bytes = concat([...copyBinaryChunks(s, 0, s.length, false)]);

  it('round-trips a series exactly for any chunking', () => {
    for (const size of [1, 7, 73, 74, 75, 4096, 65_536, bytes.length]) {
      const reader = new BarCopyReader('BIN', '1m', 2);
      for (let p = 0; p < bytes.length; p += size) reader.push(bytes.slice(p, p + size));
      expect(columns(reader.finish()), `chunks of ${size}`).toEqual(columns(s));
    }
  });

  it('reports progress per chunk and writes a row range with the key columns', () => {
    const big = generateSyntheticBars({ symbol: 'BIN', bars: 20_000, seed: 12, timeframe: '1m' });
    const seen: number[] = [];
    const parts = [...copyBinaryChunks(big, 100, 10_100, true, (done) => seen.push(done))];
    expect(seen).toEqual([8192, 10_000]);
    // header + rows + trailer; each keyed row adds (4 + 3) + (4 + 2) bytes to the 74 of a bare row
    expect(concat(parts).length).toBe(19 + 10_000 * (74 + 13) + 2);
  });

  it('rejects output that ends mid-row or has an unexpected shape', () => {
    const cut = new BarCopyReader('BIN', '1m', 2);
    cut.push(bytes.subarray(0, 19 + 74 * 3 + 10));
    expect(() => cut.finish()).toThrow(/ends mid-row/);
    const odd = new BarCopyReader('BIN', '1m', 2);
    const wrong = bytes.slice(0, 19 + 74);
    wrong[20] = 5; // field count 5
    expect(() => odd.push(wrong)).toThrow(/a row of 5 fields/);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBarsCsv, readBarsCsv, readBarsDir, symbolFromPath } from '../../../../src/data/csv/index.js';
import { asyncErrorOf, errorOf, FIXTURES, SHARED_DATA, utc } from './helpers.js';

describe('sample data in ../shared/data', () => {
  it('reads NVDA daily bars: 4012 rows from 1999-01-22, 6 decimals, 1d', async () => {
    const s = await readBarsCsv(join(SHARED_DATA, 'NVDA-1999-2014.csv'));
    expect(s.symbol).toBe('NVDA');
    expect(s.length).toBe(4012);
    expect(s.ts[0]).toBe(utc('1999-01-22T00:00:00Z'));
    expect([s.open[0], s.high[0], s.low[0], s.close[0], s.volume[0]]).toEqual([1.75, 1.953125, 1.552083, 1.640625, 67867200]);
    expect(s.adjClose?.[0]).toBe(1.518424);
    expect(s.ts[s.length - 1]).toBe(utc('2014-12-31T00:00:00Z'));
    expect(s.close[s.length - 1]).toBe(20.049999);
    expect(s.priceDecimals).toBe(6);
    expect(s.timeframe).toBe('1d');
    expect(s.skippedRows).toBe(0);
  });

  it('reads ORCL daily bars: 5036 rows', async () => {
    const s = await readBarsCsv(join(SHARED_DATA, 'ORCL-1995-2014.csv'));
    expect([s.symbol, s.length, s.timeframe, s.priceDecimals]).toEqual(['ORCL', 5036, '1d', 6]);
    expect(s.ts[0]).toBe(utc('1995-01-03T00:00:00Z'));
  });

  it('reads the 5-minute index with separate Date and Time columns: 2142 rows, 5m', async () => {
    const s = await readBarsCsv(join(SHARED_DATA, 'INDEX-2006-5min.csv'));
    expect([s.symbol, s.length, s.timeframe, s.priceDecimals]).toEqual(['INDEX', 2142, '5m', 2]);
    expect(s.ts[0]).toBe(utc('2006-01-02T09:05:00Z'));
    expect(s.ts[s.length - 1]).toBe(utc('2006-01-30T17:30:00Z'));
  });

  it('interprets the index times in the exchange zone when told', async () => {
    const s = await readBarsCsv(join(SHARED_DATA, 'INDEX-2006-5min.csv'), { timeZone: 'Europe/Berlin' });
    expect(s.ts[0]).toBe(utc('2006-01-02T08:05:00Z'));
  });

  it('parses a file the same from a Buffer, a string and the disk', async () => {
    const path = join(SHARED_DATA, 'NVDA-1999-2014.csv');
    const fromDisk = await readBarsCsv(path);
    const text = (await import('node:fs')).readFileSync(path);
    for (const input of [text, text.toString('utf8')]) {
      const s = parseBarsCsv(input, { source: path });
      expect(s).toEqual(fromDisk);
    }
  });
});

describe('readBarsCsv and readBarsDir', () => {
  it('reads a BOM + CRLF file with a trailing blank line', async () => {
    const s = await readBarsCsv(join(FIXTURES, 'ACME-bom-crlf.csv'));
    expect([s.symbol, s.length, s.priceDecimals]).toEqual(['ACME', 3, 2]);
    expect([...s.close]).toEqual([10.75, 11.1, 11]);
  });

  it('skips Yahoo holiday rows of "null"', async () => {
    const s = await readBarsCsv(join(FIXTURES, 'yahoo-nulls.csv'), { symbol: 'SPY' });
    expect([s.symbol, s.length, s.skippedRows]).toEqual(['SPY', 2, 1]);
  });

  it('loads every *.csv of a directory sorted by name, one series per symbol', async () => {
    const all = await readBarsDir(join(FIXTURES, 'dir'));
    expect(all.map((s) => [s.symbol, s.length, s.timeframe])).toEqual([
      ['AAA', 3, '1d'],
      ['BBB', 3, '5m'],
      ['XYZ', 2, '1d'],
      ['QQQ', 2, '1d'],
    ]);
  });

  it('takes the file name’s leading token as the symbol', () => {
    expect(symbolFromPath('/data/NVDA-1999-2014.csv')).toBe('NVDA');
    expect(symbolFromPath('btcusd_1m.csv')).toBe('BTCUSD');
    expect(symbolFromPath('spy.csv')).toBe('SPY');
  });

  it('reports a missing file or directory as PI5_ERR_BAD_CSV naming the path', async () => {
    const e = await asyncErrorOf(() => readBarsCsv('/nonexistent/NOPE.csv'));
    expect(e.code).toBe('PI5_ERR_BAD_CSV');
    expect(e.message).toContain('/nonexistent/NOPE.csv');
    expect((await asyncErrorOf(() => readBarsDir('/nonexistent'))).code).toBe('PI5_ERR_BAD_CSV');
  });
});

const bytesOf = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('chunked reading', () => {
  let dir = '';
  // Enough rows to cross several 1 MB chunks, with a multi-byte symbol to land on chunk edges.
  const rows = 60_000;
  const lines = ['Symbol,Date,Time,Open,High,Low,Close,Volume'];
  for (let i = 0; i < rows; i++) {
    const day = new Date(utc('2020-01-01T00:00:00Z') + Math.floor(i / 100) * 86_400_000).toISOString().slice(0, 10);
    const minute = i % 100;
    const time = `${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
    const p = (100 + (i % 37) / 8).toFixed(3);
    lines.push(`Ünïcødé€,${day},${time},${p},${p},${p},${p},${i}`);
  }
  const text = `${lines.join('\r\n')}\r\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi5-csv-'));
    await writeFile(join(dir, 'big.csv'), text);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives identical series from a string, a Buffer and a file', async () => {
    const fromString = parseBarsCsv(text, { source: 'big.csv' });
    const fromBuffer = parseBarsCsv(Buffer.from(text), { source: 'big.csv' });
    const fromFile = await readBarsCsv(join(dir, 'big.csv'), { source: 'big.csv' });
    expect(fromString.length).toBe(rows);
    expect(fromString.symbol).toBe('Ünïcødé€');
    expect(fromString.volume[rows - 1]).toBe(rows - 1);
    // Byte comparison: toEqual walks 60k-element typed arrays one element at a time.
    for (const other of [fromBuffer, fromFile]) {
      expect([other.symbol, other.timeframe, other.priceDecimals, other.length]).toEqual([
        fromString.symbol,
        fromString.timeframe,
        fromString.priceDecimals,
        fromString.length,
      ]);
      for (const key of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
        expect(bytesOf(other[key]).equals(bytesOf(fromString[key]))).toBe(true);
      }
    }
  });

  it('rejects a truncated last line even when the reused chunk still holds a complete row after it', () => {
    // 25-byte header + 6721 rows of 39 bytes fill the first 2^18-character step exactly, so the last
    // line lands at the chunk's start with the first row of the second step still behind it.
    const row = (i: number): string => `${new Date(Date.UTC(1900, 0, 1 + i)).toISOString().slice(0, 10)},10.00,11.00,9.00,10.50,1000\n`;
    const body = Array.from({ length: 8000 }, (_, i) => row(i)).join('');
    const truncated = `Timestamp,o,h,l,c,Volume\n${body}${row(8000).slice(0, 17)}`;
    const e = errorOf(() => parseBarsCsv(truncated, { source: 'cut.csv' }));
    expect(e.code).toBe('PI5_ERR_BAD_CSV');
    expect(e.details).toMatchObject({ line: 8002, field: 'columns', value: 3 });
  });

  it('reports the right line number deep into a chunked input', () => {
    const broken = text.replace(`,${rows - 7}\r\n`, `,-1\r\n`);
    const e = errorOf(() => parseBarsCsv(broken, { source: 'big.csv' }));
    expect(e.details).toMatchObject({ line: rows - 7 + 2, field: 'volume', value: '-1' });
  });
});

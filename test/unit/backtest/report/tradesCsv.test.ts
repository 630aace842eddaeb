import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRADES_CSV_HEADER, csvField, tradesToCsv, writeTradesCsv } from '../../../../src/backtest/report/tradesCsv.js';
import { TRADES } from './fixture.js';

describe('tradesToCsv', () => {
  const lines = tradesToCsv(TRADES).split('\n');

  it('starts with the documented header', () => {
    expect(lines[0]).toBe('symbol,side,quantity,entryTime,entryPrice,exitTime,exitPrice,pnl,commission,slippage,entryBar,exitBar');
    expect(TRADES_CSV_HEADER).toBe(lines[0]);
  });

  it('writes one line per trade with ISO times and full-precision numbers', () => {
    expect(lines).toHaveLength(TRADES.length + 2); // header, rows, trailing newline
    expect(lines[1]).toBe('NVDA,long,100,2024-01-03T00:00:00.000Z,101.25,2024-01-05T00:00:00.000Z,251.25,15000,5,1.25,1,3');
    expect(lines[3]).toBe('');
  });

  it('quotes symbols holding commas or quotes, doubling the quotes', () => {
    expect(lines[2]?.startsWith('"BRK,""A""",short,2,')).toBe(true);
    expect(lines[2]?.endsWith(',-2654.322,7.5,2,4,7')).toBe(true);
  });

  it('quotes only where RFC 4180 needs it', () => {
    expect(csvField('AAPL')).toBe('AAPL');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(' x')).toBe('" x"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('leaves non-finite numbers as empty cells', () => {
    const [t] = TRADES;
    if (t === undefined) throw new Error('fixture has trades');
    const row = tradesToCsv([{ ...t, pnl: Number.NaN, exitTime: Number.NaN }]).split('\n')[1];
    expect(row).toBe('NVDA,long,100,2024-01-03T00:00:00.000Z,101.25,,251.25,,5,1.25,1,3');
  });

  it('writes just the header for no trades, and the same text to a file', async () => {
    expect(tradesToCsv([])).toBe(`${TRADES_CSV_HEADER}\n`);
    const dir = await mkdtemp(join(tmpdir(), 'pi5-csv-'));
    try {
      const path = join(dir, 'trades.csv');
      await writeTradesCsv(path, TRADES);
      expect(await readFile(path, 'utf8')).toBe(tradesToCsv(TRADES));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot write with PI5_ERR_IO', async () => {
    await expect(writeTradesCsv('/nonexistent-dir/x/trades.csv', TRADES)).rejects.toMatchObject({ code: 'PI5_ERR_IO' });
  });
});

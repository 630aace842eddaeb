import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultJsonBlocks, resultJsonChunks, toResultJson, writeResultJson } from '../../../../src/backtest/report/json.js';
import { DAY, METRICS, T0, longResult, makeResult } from './fixture.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('toResultJson', () => {
  const json = toResultJson(makeResult());

  it('has the DESIGN.md §12 top-level keys in order', () => {
    expect(Object.keys(json)).toEqual([
      'version',
      'config',
      'metrics',
      'trades',
      'openPositions',
      'equityCurve',
      'monthlyReturns',
      'rejections',
      'finalCash',
    ]);
    expect(json.version).toBe('0.1.0');
    expect(json.finalCash).toBe('12345.678');
  });

  it('carries every Metrics field, with NaN and Infinity as null', () => {
    expect(Object.keys(json.metrics).sort()).toEqual(Object.keys(METRICS).sort());
    expect(json.metrics.finalEquity).toBe(112_345.678);
    expect(json.metrics.sharpe).toBeNull();
    expect(json.metrics.profitFactor).toBeNull();
    expect(json.metrics.calmar).toBeNull();
    expect(json.config.params['ratio']).toBeNull();
  });

  it('writes trades with position side, ISO times and the extra fields', () => {
    expect(json.trades[0]).toEqual({
      symbol: 'NVDA',
      side: 'long',
      quantity: 100,
      entryTime: '2024-01-03T00:00:00.000Z',
      entryPrice: 101.25,
      exitTime: '2024-01-05T00:00:00.000Z',
      exitPrice: 251.25,
      pnl: 15_000,
      commission: 5,
      slippage: 1.25,
      entryBar: 1,
      exitBar: 3,
    });
    expect(json.trades[1]?.side).toBe('short');
    expect(json.openPositions[0]?.entryTime).toMatch(ISO);
    expect(json.rejections[0]?.time).toBe(new Date(T0 + 2 * DAY).toISOString());
  });

  it('pairs each bar time with its equity, leaving E_0 out of the curve', () => {
    expect(json.equityCurve).toHaveLength(8);
    expect(json.equityCurve[0]).toEqual(['2024-01-02T00:00:00.000Z', 100_000]);
    expect(json.equityCurve[1]).toEqual(['2024-01-03T00:00:00.000Z', 104_000.5]);
    expect(json.equityCurve[4]?.[1]).toBeNull();
    expect(json.equityCurve[7]).toEqual(['2024-01-09T00:00:00.000Z', 112_345.678]);
    for (const [t] of json.equityCurve) expect(t).toMatch(ISO);
  });

  it('never lets NaN or Infinity through JSON.stringify', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(json);
  });

  it('rejects an equity series that does not fit the bar times', () => {
    expect(() => toResultJson(makeResult({ equity: new Float64Array(3) }))).toThrow(/PI5_ERR_INTERNAL|expected N/);
  });
});

describe('writeResultJson', () => {
  it('streams exactly the text of JSON.stringify(toResultJson(result))', async () => {
    const result = makeResult();
    const path = join(dir, 'small.json');
    await writeResultJson(path, result);
    const expected = JSON.stringify(toResultJson(result));
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect([...resultJsonChunks(result)].join('')).toBe(expected);
  });

  it('matches JSON.stringify on awkward numbers and times', () => {
    const times = Float64Array.from([-1.5, 0, 1.7, T0 + 12_345_678.9, 253_402_300_800_000, 8.64e15, Number.NaN, T0 + 999]);
    const equity = Float64Array.from([0, -0, 1e-7, 123.456, -98_765.43210987, 1e21, 2 ** 26 + 0.5, Number.NEGATIVE_INFINITY, 0.1 + 0.2]);
    const result = makeResult({ times, equity });
    expect([...resultJsonChunks(result)].join('')).toBe(JSON.stringify(toResultJson(result)));
  });

  it('matches JSON.stringify on a curve spanning many blocks', () => {
    const result = longResult(40_000, 37_000);
    expect([...resultJsonChunks(result)].join('')).toBe(JSON.stringify(toResultJson(result)));
  });

  it('writes thousands of trades, with awkward symbols, numbers and times, exactly as JSON.stringify', async () => {
    // Enough trades for several blocks; symbols needing escapes and multi-byte UTF-8 in every block.
    const symbols = ['NVDA', 'BRK,"A"', 'Ünïcødé€', 'a\\b\u2028\n'];
    const numbers = [0, -0, 1.5, -2.25, 0.1 + 0.2, 1e21, 2 ** 26 + 0.5, 123_456.78901234, Number.NaN, Number.POSITIVE_INFINITY];
    const times = [T0, T0 + 0.7, -1.5, 253_402_300_800_000, 8.64e15, Number.NaN, T0 + 12_345_678.9];
    const trades = Array.from({ length: 12_000 }, (_, i) => ({
      symbol: symbols[i % symbols.length] as string,
      side: i % 3 === 0 ? ('short' as const) : ('long' as const),
      quantity: numbers[i % numbers.length] as number,
      entryTime: times[i % times.length] as number,
      entryPrice: numbers[(i + 1) % numbers.length] as number,
      exitTime: times[(i + 2) % times.length] as number,
      exitPrice: numbers[(i + 3) % numbers.length] as number,
      pnl: numbers[(i + 4) % numbers.length] as number,
      commission: numbers[(i + 5) % numbers.length] as number,
      slippage: numbers[(i + 6) % numbers.length] as number,
      entryBar: i,
      exitBar: i + 0.5,
    }));
    const result = makeResult({ trades });
    const expected = JSON.stringify(toResultJson(result));
    expect([...resultJsonBlocks(result)].filter((b) => typeof b !== 'string').length).toBeGreaterThan(3);
    expect([...resultJsonChunks(result)].join('')).toBe(expected);
    const path = join(dir, 'trades.json');
    await writeResultJson(path, result);
    expect(await readFile(path, 'utf8')).toBe(expected);
  });

  it('writes a many-block curve to the file exactly, though each block is written while the next is formatted', async () => {
    // The blocks are views of two buffers used in turn: a buffer reused one block too early would show here.
    const result = longResult(40_000, 37_000);
    const path = join(dir, 'blocks.json');
    await writeResultJson(path, result);
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(toResultJson(result)));
  });

  it('writes a 1M-point curve in bounded blocks, never one giant string, as valid JSON', async () => {
    // Speed is measured by bench/; here the property that keeps it fast and small: the curve goes out in blocks
    // of at most 16,384 points (64 bytes each at most), so no block exceeds 1 MiB whatever the curve's length.
    const result = longResult(1_000_000);
    const path = join(dir, 'big.json');
    const sizes = [...resultJsonBlocks(result)].map((b) => b.length);
    // Three strings (before the trades, between trades and curve, after the curve) around the curve's blocks.
    expect(sizes.length).toBe(3 + Math.ceil(1_000_001 / 16_384));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16_384 * 64);
    await writeResultJson(path, result);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { equityCurve: [string, number][] };
    expect(parsed.equityCurve).toHaveLength(1_000_000);
    expect(parsed.equityCurve[999_999]?.[0]).toBe(new Date(T0 + 999_999 * 60_000).toISOString());
    expect(parsed.equityCurve[999_999]?.[1]).toBe(result.equity[1_000_000]);
  });
});

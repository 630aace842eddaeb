import { describe, expect, it } from 'vitest';
import { sizeText } from '../../../../src/backtest/report/runInfo.js';
import { formatSummary } from '../../../../src/backtest/report/summary.js';
import { makeResult } from './fixture.js';

describe('formatSummary', () => {
  const text = formatSummary(makeResult());
  const line = (label: string): string => text.split('\n').find((l) => l.includes(label)) ?? '';

  it('names the strategy, params, symbols and period', () => {
    expect(line('Strategy')).toContain('sma-cross');
    expect(line('Params')).toContain('fast=10, slow=30');
    expect(line('Period')).toContain('2024-01-02 → 2024-01-09');
    expect(line('Period')).toContain('8 bars');
    // How big the trades were: the returns mean nothing without it.
    expect(line('Sizing')).toMatch(/^Sizing\s+100 shares per entry · cash 100,000\.00 · commission per-share:0\.005, slippage bps:1$/);
  });

  it('formats money with thousands separators and two decimals', () => {
    expect(line('Final equity')).toContain('112,345.68');
    expect(line('Net profit')).toContain('12,345.68');
    expect(line('Average loss')).toContain('-2,654.32');
    expect(line('Commissions')).toContain('12.50');
  });

  it('formats fractions as percentages with two decimals', () => {
    expect(line('Total return')).toContain('12.35%');
    expect(line('CAGR')).toContain('24.68%');
    expect(line('Max drawdown')).toContain('3.21%');
    expect(line('Win rate')).toContain('50.00%');
    expect(line('Exposure')).toContain('62.50%');
    expect(line('Volatility')).toContain('15.12%');
  });

  it('shows ratios to two decimals and missing values as a dash', () => {
    expect(line('Sortino')).toContain('1.88');
    expect(line('Sharpe')).toMatch(/Sharpe\s+—/);
    expect(line('Calmar')).toMatch(/Calmar\s+—/);
    expect(line('Max DD duration')).toContain('3 bars (4 days)');
    expect(line('Expectancy')).toContain('6,172.84');
    expect(line('Avg trade duration')).toContain('2.5 days');
    expect(line('Trades ')).toMatch(/Trades\s+2$/);
  });

  it('lists open positions and counts risk rejections by code', () => {
    expect(line('Open positions')).toContain('(1)');
    expect(line('AAPL')).toMatch(/AAPL\s+long\s+50\s+2024-01-08\s+190\.50\s+195\.25\s+237\.50/);
    expect(line('Risk rejections')).toBe('Risk rejections: 1 (1 MAX_POSITION)');
  });

  it('keeps the metric columns aligned', () => {
    const rows = text.split('\n').filter((l) => /^ {2}(Final equity|Net profit|Sharpe)/.test(l));
    const ends = rows.map((l) => l.indexOf('    ', 20));
    expect(new Set(ends).size).toBe(1);
  });

  it('says so when the run ends flat with no rejections', () => {
    const flat = formatSummary(makeResult({ openPositions: [], rejections: [] }));
    expect(flat).toContain('Open positions: none');
    expect(flat).toContain('Risk rejections: 0');
  });
});

describe('sizeText', () => {
  it('says a size spec in words', () => {
    expect(sizeText('100')).toBe('100 shares per entry');
    expect(sizeText('10%')).toBe('10% of equity per entry');
    expect(sizeText('$5000')).toBe('5,000.00 per entry');
    expect(sizeText('equal:3')).toBe('1/3 of equity per symbol (equal weight)');
    expect(sizeText('risk:1%')).toBe('--size risk:1%');
  });
});

// Loss and diversification checks at and around each limit: daily loss (amount and percent), drawdown from
// the peak, the kill switch, group concentration and correlation with held symbols.

import { describe, expect, it } from 'vitest';
import { returnsCorrelation, type CloseSeries } from '../../../src/risk/correlation.js';
import { EquityTracker } from '../../../src/risk/trackers.js';
import { code, deny } from './checkHelpers.js';

describe('RISK_MAX_DAILY_LOSS', () => {
  it('amount: down 4999.99 passes, down exactly 5000 (the limit reached) is denied', () => {
    expect(code({ side: 'buy', quantity: 1 }, { dayStartEquity: 100_000, equity: 95_000.01 }, { maxDailyLoss: 5000 })).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { dayStartEquity: 100_000, equity: 95_000 }, { maxDailyLoss: 5000 })).toBe('RISK_MAX_DAILY_LOSS');
  });

  it('percent of the start-of-day equity: 2% of 80 000 = 1600', () => {
    expect(code({ side: 'buy', quantity: 1 }, { dayStartEquity: 80_000, equity: 78_401 }, { maxDailyLossPct: 2 })).toBeNull();
    expect(deny({ side: 'buy', quantity: 1 }, { dayStartEquity: 80_000, equity: 78_400 }, { maxDailyLossPct: 2 })?.message).toBe(
      'buy 1 AAA: down 1600.00 today (from 80000.00); limit is 2% = 1600.00',
    );
  });

  it('reducing orders pass', () => {
    expect(code({ side: 'sell', quantity: 1 }, { position: 1, dayStartEquity: 100_000, equity: 50_000 }, { maxDailyLoss: 5000 })).toBeNull();
  });

  it('EquityTracker: the day starts from the previous close (UTC midnight by default)', () => {
    const t = new EquityTracker(100_000, 'UTC');
    t.onClose(Date.UTC(2024, 0, 2, 15), 101_000);
    t.onClose(Date.UTC(2024, 0, 2, 20), 99_000);
    expect(t.dayStartEquity(Date.UTC(2024, 0, 2, 21))).toBe(100_000);
    expect(t.dayStartEquity(Date.UTC(2024, 0, 3, 14))).toBe(99_000);
    t.onClose(Date.UTC(2024, 0, 3, 15), 98_000);
    expect(t.dayStartEquity(Date.UTC(2024, 0, 3, 16))).toBe(99_000);
    expect(t.peakEquity).toBe(101_000);
  });
});

describe('RISK_MAX_DRAWDOWN', () => {
  const limits = { maxDrawdownPct: 10 };
  it('10% below a 120 000 peak is 108 000: 108 000.01 passes, 108 000 is denied', () => {
    expect(code({ side: 'buy', quantity: 1 }, { peakEquity: 120_000, equity: 108_000.01 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { peakEquity: 120_000, equity: 108_000 }, limits)).toBe('RISK_MAX_DRAWDOWN');
  });

  it('a current equity above the recorded peak is the peak', () => {
    expect(code({ side: 'buy', quantity: 1 }, { peakEquity: 90_000, equity: 100_000 }, limits)).toBeNull();
  });

  it('names equity, peak and limit', () => {
    expect(deny({ side: 'buy', quantity: 1 }, { peakEquity: 120_000, equity: 100_000 }, limits)?.message).toBe(
      'buy 1 AAA: equity 100000.00 is 20000.00 below its peak 120000.00; limit is 10% = 12000.00',
    );
  });
});

describe('RISK_KILL_SWITCH', () => {
  it('blocks opening, adding and reversing; lets reducing orders through', () => {
    expect(code({ side: 'buy', quantity: 1 }, { killSwitchTripped: true })).toBe('RISK_KILL_SWITCH');
    expect(code({ side: 'buy', quantity: 1 }, { killSwitchTripped: true, position: 5 })).toBe('RISK_KILL_SWITCH');
    expect(code({ side: 'sell', quantity: 10 }, { killSwitchTripped: true, position: 5 })).toBe('RISK_KILL_SWITCH');
    expect(code({ side: 'sell', quantity: 5 }, { killSwitchTripped: true, position: 5 })).toBeNull();
  });
});

describe('RISK_GROUP_CONCENTRATION', () => {
  const limits = { maxGroupPct: 30 };
  it('30% of 100 000: 20 000 in the group + 200 × 50 passes, 201 is denied', () => {
    expect(code({ side: 'buy', quantity: 200 }, { group: 'tech', groupExposure: 20_000 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 201 }, { group: 'tech', groupExposure: 20_000 }, limits)).toBe('RISK_GROUP_CONCENTRATION');
  });

  it('symbols in no group are not judged', () => {
    expect(code({ side: 'buy', quantity: 1000 }, {}, limits)).toBeNull();
  });

  it('names the group and the limit', () => {
    expect(deny({ side: 'buy', quantity: 201 }, { group: 'tech', groupExposure: 20_000 }, limits)?.message).toBe(
      'buy 201 AAA at ~50 would bring group tech to 30050.00; limit is 30% of equity = 30000.00',
    );
  });
});

describe('RISK_CORRELATION', () => {
  const limits = { maxCorrelation: 0.8 };
  it('a correlation exactly at the limit passes, above it is denied, naming the held symbol', () => {
    expect(code({ side: 'buy', quantity: 1 }, { correlations: [{ symbol: 'BBB', value: 0.8 }] }, limits)).toBeNull();
    expect(deny({ side: 'buy', quantity: 1 }, { correlations: [{ symbol: 'BBB', value: 0.5 }, { symbol: 'CCC', value: 0.81 }] }, limits)?.message).toBe(
      'buy 1 AAA: correlation with held CCC is 0.810; limit is 0.8',
    );
  });

  it('reducing orders are not judged', () => {
    expect(code({ side: 'sell', quantity: 1 }, { position: 1, correlations: [{ symbol: 'BBB', value: 1 }] }, limits)).toBeNull();
  });

  const series = (closes: number[]): CloseSeries => ({ length: closes.length, close: (ago = 0) => closes[closes.length - 1 - ago] as number, time: (ago = 0) => closes.length - 1 - ago });
  it('returnsCorrelation: proportional returns give 1, mirrored give −1, too short or flat gives null', () => {
    const a = series([100, 101, 99, 102, 100]);
    const b = series([50, 50.5, 49.5, 51, 50]);
    expect(returnsCorrelation(a, b, 4)).toBeCloseTo(1, 12);
    // Returns of c are the negatives of a's: +1%, −1.98%, … → −1.
    const ra = [101 / 100, 99 / 101, 102 / 99, 100 / 102].map((x) => x - 1);
    const c: number[] = [100];
    for (const r of ra) c.push((c[c.length - 1] as number) * (1 - r));
    expect(returnsCorrelation(a, series(c), 4)).toBeCloseTo(-1, 12);
    expect(returnsCorrelation(a, b, 5)).toBeNull();
    expect(returnsCorrelation(a, series([1, 1, 1, 1, 1]), 4)).toBeNull();
  });
});

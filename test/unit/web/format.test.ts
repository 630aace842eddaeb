// The dashboard's number formatting: fixed decimals, no "-0.00", gains and losses marked by sign and arrow.

import { describe, expect, it } from 'vitest';
import { dateTime, day, money, num, pct, qty, signed, tone } from '../../../web/src/format.js';

describe('dashboard formatting', () => {
  it('prints fixed decimals with separators and a dash for missing values', () => {
    expect(money(1234567.891)).toBe('1,234,567.89');
    expect(money(5)).toBe('5.00');
    expect(num(0.12345, 4)).toBe('0.1235');
    expect(money(null)).toBe('–');
    expect(money(Number.NaN)).toBe('–');
    expect(money(undefined)).toBe('–');
  });

  it('never shows a negative zero', () => {
    expect(money(-0.001)).toBe('0.00');
    expect(money(-0)).toBe('0.00');
    expect(signed(-0.004)).toBe('0.00');
  });

  it('marks gains and losses with sign and arrow, not colour alone', () => {
    expect(signed(1234.5)).toBe('▲ +1,234.50');
    expect(signed(-12)).toBe('▼ −12.00');
    expect(tone(0.01)).toBe('gain');
    expect(tone(-0.01)).toBe('loss');
    expect(tone(0.004)).toBe('flat');
    expect(tone(null)).toBe('flat');
  });

  it('formats ratios, quantities and UTC times', () => {
    expect(pct(0.01234)).toBe('1.23%');
    expect(pct(-0.5, 1)).toBe('-50.0%');
    expect(qty(100)).toBe('100');
    expect(qty(0.12345)).toBe('0.1235');
    expect(day(Date.UTC(2024, 2, 5, 23, 0))).toBe('2024-03-05');
    expect(dateTime(Date.UTC(2024, 2, 5, 14, 30, 1))).toBe('2024-03-05 14:30:01');
  });
});

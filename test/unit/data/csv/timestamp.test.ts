import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, TimestampParser } from '../../../../src/data/csv/timestamp.js';
import { ZoneConverter } from '../../../../src/data/csv/timeZone.js';
import { errorOf, utc } from './helpers.js';

const parser = new TimestampParser();
const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const parse = (text: string): number => parser.parse(bytes(text), 0, text.length);

describe('TimestampParser', () => {
  it.each([
    ['2024-01-02', '2024-01-02T00:00:00Z', false],
    ['2024/01/02', '2024-01-02T00:00:00Z', false],
    ['20240102', '2024-01-02T00:00:00Z', false],
    ['2024-01-02 09:30', '2024-01-02T09:30:00Z', true],
    ['2024-01-02 09:30:15', '2024-01-02T09:30:15Z', true],
    ['2024-01-02T09:30:15.250', '2024-01-02T09:30:15.250Z', true],
    ['2024-01-02T09:30:15Z', '2024-01-02T09:30:15Z', false],
    ['2024-01-02T09:30:15.5Z', '2024-01-02T09:30:15.500Z', false],
    ['2024-01-02T09:30:00+02:00', '2024-01-02T07:30:00Z', false],
    ['2024-01-02 09:30:00-0500', '2024-01-02T14:30:00Z', false],
    ['2024-01-02T09:30:00+05', '2024-01-02T04:30:00Z', false],
    ['1704187800', '2024-01-02T09:30:00Z', false],
    ['1704187800000', '2024-01-02T09:30:00Z', false],
    ['1704187800.5', '2024-01-02T09:30:00.500Z', false],
  ])('reads %s as %s (wall clock: %s)', (text, iso, local) => {
    expect(parse(text)).toBe(utc(iso));
    expect(parser.local).toBe(local);
  });

  it.each([
    '',
    '2024-13-01',
    '2024-02-30',
    '2023-02-29',
    '2024-01-2',
    '2024-01-02 24:00',
    '2024-01-02 09:60',
    '2024-01-02 9',
    '2024-01-02X09:30',
    '2024-01-02 09:30:00+2',
    '2024-01-02 09:30:00 UTC',
    'yesterday',
    '01/02/2024',
    '-1704187800',
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeNaN();
  });

  it('accepts 29 February only in leap years', () => {
    expect(parse('2024-02-29')).toBe(utc('2024-02-29T00:00:00Z'));
    expect(parse('2000-02-29')).toBe(utc('2000-02-29T00:00:00Z'));
    expect(parse('1900-02-29')).toBeNaN();
  });

  it('daysFromCivil agrees with Date.UTC for any date from year 1 to 9999', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const days = daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
        expect(days).toBe(Math.floor(d.getTime() / 86_400_000));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads split Date and Time columns', () => {
    expect(parser.parseDate(bytes('2006-01-02'), 0, 10)).toBe(utc('2006-01-02T00:00:00Z'));
    expect(parser.parseTimeOfDay(bytes('09:05:00'), 0, 8)).toBe(9 * 3_600_000 + 5 * 60_000);
    expect(parser.parseTimeOfDay(bytes('9:05'), 0, 4)).toBe(9 * 3_600_000 + 5 * 60_000);
    expect(parser.parseTimeOfDay(bytes('09:05:00Z'), 0, 9)).toBeNaN();
    expect(parser.parseDate(bytes('2006-01-02 09:05'), 0, 16)).toBeNaN();
  });
});

describe('ZoneConverter', () => {
  const ny = new ZoneConverter('America/New_York');
  const wall = (iso: string): number => utc(`${iso}Z`);

  it('converts New York wall time in winter (UTC−5) and summer (UTC−4)', () => {
    expect(ny.toUtc(wall('2024-01-02T09:30:00'))).toBe(utc('2024-01-02T14:30:00Z'));
    expect(ny.toUtc(wall('2024-07-02T09:30:00'))).toBe(utc('2024-07-02T13:30:00Z'));
  });

  it('moves a time skipped by spring-forward ahead by the gap: 02:30 → 03:30 EDT', () => {
    expect(ny.toUtc(wall('2024-03-10T02:30:00'))).toBe(utc('2024-03-10T07:30:00Z'));
    expect(ny.toUtc(wall('2024-03-10T01:59:00'))).toBe(utc('2024-03-10T06:59:00Z'));
    expect(ny.toUtc(wall('2024-03-10T03:00:00'))).toBe(utc('2024-03-10T07:00:00Z'));
  });

  it('takes the earlier instant of an hour repeated by fall-back: 01:30 → EDT', () => {
    expect(ny.toUtc(wall('2024-11-03T01:30:00'))).toBe(utc('2024-11-03T05:30:00Z'));
    expect(ny.toUtc(wall('2024-11-03T02:30:00'))).toBe(utc('2024-11-03T07:30:00Z'));
  });

  it('handles zones east of UTC and half-hour offsets', () => {
    expect(new ZoneConverter('Europe/Berlin').toUtc(wall('2006-01-02T09:05:00'))).toBe(utc('2006-01-02T08:05:00Z'));
    expect(new ZoneConverter('Asia/Kolkata').toUtc(wall('2024-01-02T09:15:00'))).toBe(utc('2024-01-02T03:45:00Z'));
    expect(new ZoneConverter('Australia/Sydney').toUtc(wall('2024-04-07T02:30:00'))).toBe(utc('2024-04-06T15:30:00Z'));
  });

  it('maps every instant’s own wall time back to a time with that wall time', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo'].map((z) => new ZoneConverter(z));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_200_000_000 }), fc.constantFrom(...zones), (seconds, zone) => {
        const instant = seconds * 1000;
        const wallMs = instant + zone.offsetAt(instant);
        const back = zone.toUtc(wallMs);
        expect(back + zone.offsetAt(back)).toBe(wallMs);
        expect(back).toBeLessThanOrEqual(instant); // a repeated hour resolves to its earlier instant
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects an unknown zone with PI5_ERR_BAD_USAGE', () => {
    expect(errorOf(() => new ZoneConverter('Mars/Olympus')).code).toBe('PI5_ERR_BAD_USAGE');
  });
});

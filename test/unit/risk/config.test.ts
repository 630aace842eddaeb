// RiskConfig: validation errors name the field path; limits merge global ← strategy ← symbol; the merged
// limits are what an order of that strategy in that symbol is checked against.

import { describe, expect, it } from 'vitest';
import type { Pi5Error } from '../../../src/core/errors.js';
import { parseRiskConfig } from '../../../src/risk/config.js';
import { defaultRiskConfig } from '../../../src/risk/defaultConfig.js';
import { DEFAULT_LIMITS } from '../../../src/risk/limits.js';
import { RiskProfiles } from '../../../src/risk/profiles.js';
import { errorOf as rejection } from '../../helpers/errors.js';

function errorOf(input: unknown): Pi5Error {
  return rejection(() => parseRiskConfig(input, 'risk.json'));
}

describe('parseRiskConfig', () => {
  it('an empty config is valid: no limits beyond the defaults, kill switch auto-trips, no flattening', () => {
    const c = parseRiskConfig({});
    expect(c).toEqual({ global: {}, strategies: {}, symbols: {}, groups: {}, dayTimeZone: 'UTC', killSwitch: { flattenOnTrip: false, autoTrip: true } });
  });

  it('the config a run given none uses (built without zod) is what the schema makes of an empty one', () => {
    expect(defaultRiskConfig()).toStrictEqual(parseRiskConfig({}));
  });

  it('names the path of a bad value, with the source', () => {
    const e = errorOf({ symbols: { AAA: { maxPositionQty: -1 } } });
    expect(e.code).toBe('PI5_ERR_BAD_CONFIG');
    expect(e.message).toMatch(/^risk\.json: symbols\.AAA\.maxPositionQty: /);
  });

  it('names unknown keys (typos) with their path', () => {
    expect(errorOf({ global: { maxLeverag: 2 } }).message).toMatch(/global\.maxLeverag: Unrecognized key/);
    expect(errorOf({ strategies: { s1: { tradingHours: { session: 'regular', regualr: '09:00-17:00' } } } }).message).toMatch(
      /strategies\.s1\.tradingHours\.regualr/,
    );
  });

  it('lists every problem', () => {
    const e = errorOf({ global: { maxDrawdownPct: 150, maxOrdersPerDay: 1.5 }, dayTimeZone: 'Mars/Olympus' });
    expect(e.message).toContain('global.maxDrawdownPct');
    expect(e.message).toContain('global.maxOrdersPerDay');
    expect(e.message).toContain('dayTimeZone: not a known IANA time zone');
  });

  it('turns a trading-hours session into a window in minutes', () => {
    const c = parseRiskConfig({ global: { tradingHours: { session: 'extended', timeZone: 'America/New_York' } } });
    expect(c.global.tradingHours).toEqual({ startMin: 240, endMin: 1200, timeZone: 'America/New_York', weekdaysOnly: true });
    expect(errorOf({ global: { tradingHours: { session: 'regular', regular: '16:00-09:30' } } }).message).toMatch(/global\.tradingHours\.regular: start must be/);
  });
});

describe('RiskProfiles: global ← strategy ← symbol', () => {
  const profiles = new RiskProfiles(
    parseRiskConfig({
      global: { maxPositionQty: 1000, maxOpenOrders: 50 },
      strategies: { scalper: { maxPositionQty: 200, maxOrdersPerSecond: 5 } },
      symbols: { PENNY: { maxPositionQty: 10 } },
    }),
  );

  it('an order with no override gets the global limits over the defaults', () => {
    expect(profiles.for('other', 'AAA').limits).toEqual({ ...DEFAULT_LIMITS, maxPositionQty: 1000, maxOpenOrders: 50 });
    expect(profiles.for('other', 'AAA')).toBe(profiles.global);
  });

  it('a strategy override replaces only its keys', () => {
    expect(profiles.for('scalper', 'AAA').limits).toMatchObject({ maxPositionQty: 200, maxOpenOrders: 50, maxOrdersPerSecond: 5 });
  });

  it('a symbol override wins over the strategy one', () => {
    expect(profiles.for('scalper', 'PENNY').limits).toMatchObject({ maxPositionQty: 10, maxOrdersPerSecond: 5 });
    expect(profiles.for(null, 'PENNY').limits.maxPositionQty).toBe(10);
  });

  it('caches each combination (same object on the next order)', () => {
    expect(profiles.for('scalper', 'PENNY')).toBe(profiles.for('scalper', 'PENNY'));
  });

  it('compiles only the checks whose limit is set', () => {
    expect(profiles.global.pipeline.checks.map((c) => c.name)).toEqual(['checkKillSwitch', 'checkOpenOrders', 'checkPositionQty', 'checkBuyingPower']);
  });
});

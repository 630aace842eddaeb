// The --size grammar for the named sizers: each form builds the sizer it names with the right options and
// defaults, and every malformed spec fails with PI5_ERR_BAD_USAGE naming the spec and the bad part.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import {
  EqualWeightSizer,
  FixedFractionalRiskSizer,
  FixedNotionalSizer,
  FixedQuantitySizer,
  KellySizer,
  PercentOfEquitySizer,
  RiskParitySizer,
  VolatilityTargetSizer,
  parseSizeSpec,
} from '../../../src/risk/sizing/index.js';
import { parseSizeSpec as legacyParse } from '../../../src/risk/sizing.js';

describe('--size grammar', () => {
  it('keeps the old forms and the old import path', () => {
    expect(legacyParse).toBe(parseSizeSpec);
    expect(parseSizeSpec('100')).toBeInstanceOf(FixedQuantitySizer);
    expect(parseSizeSpec('10%')).toBeInstanceOf(PercentOfEquitySizer);
    expect(parseSizeSpec('$5000')).toBeInstanceOf(FixedNotionalSizer);
    expect(parseSizeSpec('risk:1%')).toBeInstanceOf(FixedFractionalRiskSizer);
  });

  it('vol:<target%>:<atr|stdev>:<lookback>, defaulting to stdev over 20 returns', () => {
    const opts = (spec: string): unknown => (parseSizeSpec(spec) as VolatilityTargetSizer).options;
    expect(parseSizeSpec('vol:15%:atr:20')).toBeInstanceOf(VolatilityTargetSizer);
    expect(opts('vol:15%:atr:20')).toEqual({ targetPct: 15, method: 'atr', lookback: 20 });
    expect(opts('vol:15%:stdev:60')).toEqual({ targetPct: 15, method: 'stdev', lookback: 60 });
    expect(opts('vol:10%')).toEqual({ targetPct: 10, method: 'stdev', lookback: 20 });
    expect(opts('vol:10%:atr')).toEqual({ targetPct: 10, method: 'atr', lookback: 20 });
  });

  it('kelly:<fraction>[:cap=][:winRate=:payoff=][:min=], cap 25% and min 20 trades by default', () => {
    const opts = (spec: string): unknown => (parseSizeSpec(spec) as KellySizer).options;
    expect(parseSizeSpec('kelly:0.5')).toBeInstanceOf(KellySizer);
    expect(opts('kelly:0.5')).toEqual({ fraction: 0.5, capPct: 25, minTrades: 20 });
    expect(opts('kelly:0.5:cap=20%')).toEqual({ fraction: 0.5, capPct: 20, minTrades: 20 });
    expect(opts('kelly:1:cap=10%:winRate=55%:payoff=1.5')).toEqual({ fraction: 1, capPct: 10, minTrades: 20, winRate: 0.55, payoff: 1.5 });
    expect(opts('kelly:0.25:winrate=0.6:payoff=2:min=50')).toEqual({ fraction: 0.25, capPct: 25, minTrades: 50, winRate: 0.6, payoff: 2 });
  });

  it('risk-parity[:atr|stdev][:<lookback>], defaulting to stdev over 60 returns', () => {
    const opts = (spec: string): unknown => (parseSizeSpec(spec) as RiskParitySizer).options;
    expect(parseSizeSpec('risk-parity:60')).toBeInstanceOf(RiskParitySizer);
    expect(opts('risk-parity:60')).toEqual({ method: 'stdev', lookback: 60 });
    expect(opts('risk-parity')).toEqual({ method: 'stdev', lookback: 60 });
    expect(opts('risk-parity:atr')).toEqual({ method: 'atr', lookback: 60 });
    expect(opts('risk-parity:atr:14')).toEqual({ method: 'atr', lookback: 14 });
  });

  it('equal[:<slots>]', () => {
    expect(parseSizeSpec('equal')).toBeInstanceOf(EqualWeightSizer);
    expect((parseSizeSpec('equal') as EqualWeightSizer).slots).toBe(1);
    expect((parseSizeSpec('equal:5') as EqualWeightSizer).slots).toBe(5);
  });

  it('keeps the spec text as given', () => {
    expect(parseSizeSpec('vol:15%:atr:20').spec).toBe('vol:15%:atr:20');
    expect(parseSizeSpec('kelly:0.5:cap=20%').spec).toBe('kelly:0.5:cap=20%');
  });

  const bad: ReadonlyArray<readonly [spec: string, part: string]> = [
    ['risk:1%:2', '2'],
    ['vol', ''],
    ['vol:15', '15'],
    ['vol:0%', '0'],
    ['vol:2000%', '2000%'],
    ['vol:15%:garch', 'garch'],
    ['vol:15%:atr:1', '1'],
    ['vol:15%:atr:2.5', '2.5'],
    ['vol:15%:atr:40000', '40000'],
    ['vol:15%:atr:20:x', 'x'],
    ['kelly', ''],
    ['kelly:0', '0'],
    ['kelly:1.5', '1.5'],
    ['kelly:half', 'half'],
    ['kelly:0.5:cap=20', '20'],
    ['kelly:0.5:cap=0%', '0'],
    ['kelly:0.5:cap', ''],
    ['kelly:0.5:size=1', 'size=1'],
    ['kelly:0.5:winRate=55%', 'payoff'],
    ['kelly:0.5:payoff=1.5', 'winRate'],
    ['kelly:0.5:winRate=120%:payoff=1', '120%'],
    ['kelly:0.5:winRate=1.5:payoff=1', '1.5'],
    ['kelly:0.5:winRate=%:payoff=1', '%'],
    ['kelly:0.5:winRate=0.5:payoff=0', '0'],
    ['kelly:0.5:min=0', '0'],
    ['risk-parity:1', '1'],
    ['risk-parity:ewma:20', 'ewma'],
    ['risk-parity:atr:20:5', '5'],
    ['equal:0', '0'],
    ['equal:two', 'two'],
    ['equal:2:3', '3'],
    ['volatility:15%', 'volatility'],
  ];
  for (const [spec, part] of bad) {
    it(`rejects ${JSON.stringify(spec)} with PI5_ERR_BAD_USAGE naming the part ${JSON.stringify(part)}`, () => {
      let caught: unknown = null;
      try {
        parseSizeSpec(spec);
      } catch (e) {
        caught = e;
      }
      expect(isPi5Error(caught)).toBe(true);
      if (!isPi5Error(caught)) return;
      expect(caught.code).toBe('PI5_ERR_BAD_USAGE');
      expect(caught.message).toContain(JSON.stringify(spec));
      expect(caught.details).toMatchObject({ field: 'size', part });
    });
  }
});

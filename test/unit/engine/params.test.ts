// Strategy parameters: defaults, coercion of CLI/config text, ranges, and PI5_ERR_BAD_PARAM for bad or
// unknown parameters, directly and through runBacktest.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { defineStrategy } from '../../../src/strategy/api.js';
import { resolveParams, type ParamSchema, type RawParams } from '../../../src/strategy/params.js';
import { series } from './fixtures.js';

const SCHEMA = {
  fast: { type: 'int', default: 10, min: 1, max: 100, description: 'fast period' },
  ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'a fraction' },
  on: { type: 'boolean', default: true, description: 'a switch' },
  label: { type: 'string', default: 'x', description: 'free text' },
  mode: { type: 'enum', default: 'a', options: ['a', 'b'], description: 'a choice' },
} as const satisfies ParamSchema;

function badParam(raw: RawParams): { param: unknown; message: string } {
  try {
    resolveParams('demo', SCHEMA, raw);
  } catch (e) {
    expect(isPi5Error(e) && e.code).toBe('PI5_ERR_BAD_PARAM');
    if (isPi5Error(e)) return { param: e.details['param'], message: e.message };
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('resolveParams', () => {
  it('fills every default when nothing is given', () => {
    expect(resolveParams('demo', SCHEMA)).toEqual({ fast: 10, ratio: 0.5, on: true, label: 'x', mode: 'a' });
  });

  it('coerces text to the declared types', () => {
    expect(resolveParams('demo', SCHEMA, { fast: '20', ratio: ' 0.25 ', on: 'no', label: 5, mode: 'b' })).toEqual({
      fast: 20,
      ratio: 0.25,
      on: false,
      label: '5',
      mode: 'b',
    });
  });

  it('reads booleans from true/false, 1/0, yes/no, on/off in any case', () => {
    const on = (v: string | number | boolean): unknown => resolveParams('demo', SCHEMA, { on: v }).on;
    expect(['true', '1', 'YES', 'On', 1, true].map(on)).toEqual([true, true, true, true, true, true]);
    expect(['false', '0', 'no', 'OFF', 0, false].map(on)).toEqual([false, false, false, false, false, false]);
  });

  it('accepts the bounds themselves', () => {
    expect(resolveParams('demo', SCHEMA, { fast: 1, ratio: 0 })).toMatchObject({ fast: 1, ratio: 0 });
    expect(resolveParams('demo', SCHEMA, { fast: '100', ratio: '1' })).toMatchObject({ fast: 100, ratio: 1 });
  });

  it('refuses values below the minimum or above the maximum, naming the parameter', () => {
    expect(badParam({ fast: 0 })).toEqual({ param: 'fast', message: 'strategy demo: parameter fast: 0 is below the minimum 1' });
    expect(badParam({ ratio: '1.5' })).toEqual({ param: 'ratio', message: 'strategy demo: parameter ratio: 1.5 is above the maximum 1' });
  });

  it('refuses non-numbers and non-integers', () => {
    expect(badParam({ fast: '2.5' }).message).toContain('2.5 is not a whole number');
    expect(badParam({ fast: 'abc' }).message).toContain('"abc" is not a number');
    expect(badParam({ fast: '' }).param).toBe('fast');
    expect(badParam({ ratio: 'Infinity' }).param).toBe('ratio');
    expect(badParam({ ratio: true }).param).toBe('ratio');
  });

  it('refuses booleans it cannot read and enum values outside the options', () => {
    expect(badParam({ on: 'maybe' }).param).toBe('on');
    expect(badParam({ mode: 'c' })).toEqual({ param: 'mode', message: 'strategy demo: parameter mode: "c" is not one of a, b' });
  });

  it('refuses an unknown parameter and lists the known ones', () => {
    expect(badParam({ slow: 30 })).toEqual({
      param: 'slow',
      message: 'strategy demo: parameter slow: unknown parameter (known: fast, ratio, on, label, mode)',
    });
    try {
      resolveParams('empty', {}, { x: 1 });
      expect.unreachable();
    } catch (e) {
      expect(isPi5Error(e) && e.message).toBe('strategy empty: parameter x: unknown parameter (known: none)');
    }
  });

  // Regression (fixed): the unknown-parameter check uses `name in schema`, which also finds Object.prototype members, so
  // `constructor`, `toString`, `hasOwnProperty`, ... pass as known and are silently dropped.
  it('refuses names inherited from Object.prototype as unknown', () => {
    expect(badParam({ constructor: 1 }).param).toBe('constructor');
  });
});

describe('parameters through runBacktest', () => {
  const strategy = defineStrategy({
    id: 'param-echo',
    name: 'param echo',
    description: 'trades nothing',
    params: { period: { type: 'int', default: 5, min: 2, description: 'a period' } },
    create: () => ({}),
  });
  const s = series([[100, 101, 99, 100]]);

  it('reports the resolved parameters in the result config', () => {
    expect(runBacktest({ series: [s], strategy, params: { period: '7' } }).config.params).toEqual({ period: 7 });
    expect(runBacktest({ series: [s], strategy }).config.params).toEqual({ period: 5 });
  });

  it('an unknown or out-of-range parameter stops the run with PI5_ERR_BAD_PARAM', () => {
    expect(() => runBacktest({ series: [s], strategy, params: { perod: 7 } })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    expect(() => runBacktest({ series: [s], strategy, params: { period: 1 } })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
  });
});

// The --size grammar: one spec text to one sizer. Every bad part is named in a PI5_ERR_BAD_USAGE error, so
// a typo on the command line says which piece of the spec is wrong.

import { Pi5Error } from '../../core/errors.js';
import { MAX_STDEV_PERIOD } from '../../indicators/stdev.js';
import { FixedFractionalRiskSizer, FixedNotionalSizer, FixedQuantitySizer, PercentOfEquitySizer } from './basic.js';
import { EqualWeightSizer } from './equalWeight.js';
import { DEFAULT_KELLY_CAP_PCT, DEFAULT_KELLY_MIN_TRADES, KellySizer } from './kelly.js';
import { RiskParitySizer } from './riskParity.js';
import type { Sizer } from './types.js';
import type { VolatilityMethod } from './volatility.js';
import { VolatilityTargetSizer } from './volatilityTarget.js';

export const DEFAULT_VOL_LOOKBACK = 20;
export const DEFAULT_RISK_PARITY_LOOKBACK = 60;

function badSpec(spec: string, why: string, part?: string): Pi5Error {
  const details = part === undefined ? { field: 'size' } : { field: 'size', part };
  return new Pi5Error('PI5_ERR_BAD_USAGE', `--size ${JSON.stringify(spec)}: ${why}`, details);
}

function positiveNumber(spec: string, text: string, what = JSON.stringify(text)): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw badSpec(spec, `${what} is not a positive number`, text);
  return n;
}

function integerIn(spec: string, text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw badSpec(spec, `${what} ${JSON.stringify(text)} must be a whole number in [${min}, ${max}]`, text);
  }
  return n;
}

/** "15%" → 15; the % sign is required so a bare 0.15 is never read as 0.15%. */
function percent(spec: string, text: string, what: string, max = Infinity): number {
  if (!text.endsWith('%')) throw badSpec(spec, `${what} ${JSON.stringify(text)} must be a percentage like 15%`, text);
  const n = positiveNumber(spec, text.slice(0, -1), `${what} ${JSON.stringify(text)}`);
  if (n > max) throw badSpec(spec, `${what} ${JSON.stringify(text)} is above ${max}%`, text);
  return n;
}

function method(spec: string, text: string): VolatilityMethod {
  if (text === 'atr' || text === 'stdev') return text;
  throw badSpec(spec, `volatility estimator ${JSON.stringify(text)} must be atr or stdev`, text);
}

function lookback(spec: string, text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : integerIn(spec, text, 'lookback', 2, MAX_STDEV_PERIOD);
}

function tooMany(spec: string, parts: readonly string[], max: number, form: string): void {
  if (parts.length > max) throw badSpec(spec, `unexpected ${JSON.stringify(parts[max])} (the form is ${form})`, parts[max]);
}

/** vol:<target%>[:atr|stdev[:<lookback>]] */
function parseVol(spec: string, parts: readonly string[]): Sizer {
  tooMany(spec, parts, 3, 'vol:<target%>[:atr|stdev[:<lookback>]]');
  const targetPct = percent(spec, parts[0] ?? '', 'target volatility', 1000);
  const m = parts[1] === undefined ? 'stdev' : method(spec, parts[1]);
  return new VolatilityTargetSizer({ targetPct, method: m, lookback: lookback(spec, parts[2], DEFAULT_VOL_LOOKBACK) }, spec);
}

/** risk-parity[:atr|stdev][:<lookback>] */
function parseRiskParity(spec: string, parts: readonly string[]): Sizer {
  tooMany(spec, parts, 2, 'risk-parity[:atr|stdev][:<lookback>]');
  const [a, b] = parts;
  const hasMethod = a === 'atr' || a === 'stdev' || (a !== undefined && b !== undefined);
  const m = hasMethod && a !== undefined ? method(spec, a) : 'stdev';
  const n = lookback(spec, hasMethod ? b : a, DEFAULT_RISK_PARITY_LOOKBACK);
  return new RiskParitySizer({ method: m, lookback: n }, spec);
}

/** "55%" or 0.55 → 0.55, within [0, 1]. */
function probability(spec: string, text: string): number {
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text) / (pct ? 100 : 1);
  if (text.trim() === '' || text === '%' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw badSpec(spec, `winRate ${JSON.stringify(text)} must be a probability like 55% or 0.55`, text);
  }
  return n;
}

/** kelly:<fraction>[:cap=<pct%>][:winRate=<p>][:payoff=<ratio>][:min=<trades>] */
function parseKelly(spec: string, parts: readonly string[]): Sizer {
  const fraction = positiveNumber(spec, parts[0] ?? '', `Kelly fraction ${JSON.stringify(parts[0] ?? '')}`);
  if (fraction > 1) throw badSpec(spec, `Kelly fraction ${JSON.stringify(parts[0])} must be in (0, 1]`, parts[0]);
  let capPct = DEFAULT_KELLY_CAP_PCT;
  let minTrades = DEFAULT_KELLY_MIN_TRADES;
  let winRate: number | undefined;
  let payoff: number | undefined;
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq).toLowerCase();
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key === 'cap') capPct = percent(spec, value, 'cap', 1000);
    else if (key === 'winrate') winRate = probability(spec, value);
    else if (key === 'payoff') payoff = positiveNumber(spec, value, `payoff ${JSON.stringify(value)}`);
    else if (key === 'min') minTrades = integerIn(spec, value, 'min', 1, 1_000_000);
    else throw badSpec(spec, `unknown Kelly option ${JSON.stringify(part)} (cap=, winRate=, payoff=, min=)`, part);
  }
  if ((winRate === undefined) !== (payoff === undefined)) {
    const missing = winRate === undefined ? 'winRate' : 'payoff';
    throw badSpec(spec, `${missing}= is missing: give winRate= and payoff= together, or neither to estimate both from closed trades`, missing);
  }
  return new KellySizer({ fraction, capPct, minTrades, ...(winRate === undefined ? {} : { winRate }), ...(payoff === undefined ? {} : { payoff }) }, spec);
}

/** The forms that predate the named sizers: 100 · 10% · $5000. */
function parsePlain(spec: string, s: string): Sizer {
  if (s.endsWith('%')) return new PercentOfEquitySizer(positiveNumber(spec, s.slice(0, -1)), spec);
  if (s.startsWith('$')) return new FixedNotionalSizer(positiveNumber(spec, s.slice(1)), spec);
  const qty = positiveNumber(spec, s);
  if (!Number.isInteger(qty)) throw badSpec(spec, 'a fixed quantity must be a whole number (use 10% or $5000 for other sizers)', s);
  return new FixedQuantitySizer(qty, spec);
}

/**
 * Parses a --size spec: `100` · `10%` · `$5000` · `risk:1%` · `vol:15%[:atr|stdev[:20]]` ·
 * `kelly:0.5[:cap=20%][:winRate=55%:payoff=1.5][:min=20]` · `risk-parity[:atr|stdev][:60]` · `equal[:<slots>]`.
 */
export function parseSizeSpec(spec: string): Sizer {
  const s = spec.trim();
  const [head = '', ...rest] = s.split(':');
  switch (head) {
    case 'risk':
      tooMany(spec, rest, 1, 'risk:<pct%>');
      return new FixedFractionalRiskSizer(percent(spec, rest[0] ?? '', 'risk'), spec);
    case 'vol':
      return parseVol(spec, rest);
    case 'kelly':
      return parseKelly(spec, rest);
    case 'risk-parity':
      return parseRiskParity(spec, rest);
    case 'equal':
      tooMany(spec, rest, 1, 'equal[:<slots>]');
      return new EqualWeightSizer(rest[0] === undefined ? 1 : integerIn(spec, rest[0], 'slots', 1, 1_000_000), spec);
  }
  if (rest.length > 0) throw badSpec(spec, `unknown sizer ${JSON.stringify(head)} (risk, vol, kelly, risk-parity, equal)`, head);
  return parsePlain(spec, s);
}

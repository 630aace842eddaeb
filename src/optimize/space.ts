// The parameter space of an optimization: dimensions built from `--grid name=spec` and checked against the
// strategy's parameter schema (types, ranges, enum options), fixed parameters, and constraints over the
// parameters (`fast < slow`) that prune points before they cost a backtest.

import { Pi5Error } from '../core/errors.js';
import type { SeededRng } from '../core/rng.js';
import type { ParamConstraint } from '../strategy/api.js';
import { resolveParams, type ParamSchema, type ParamSpec, type ParamValues, type RawParams } from '../strategy/params.js';
import { compileExpression, truthy, type Compiled } from './expr.js';

export type ParamValue = number | string | boolean;
export type ParamPoint = Readonly<Record<string, ParamValue>>;

export interface Dimension {
  readonly name: string;
  readonly type: ParamSpec['type'];
  /** The discrete values (a grid); empty for a continuous range. */
  readonly values: readonly ParamValue[];
  /** A continuous range (`name=a:b` on a number parameter): random and model-based methods only. */
  readonly range?: { readonly min: number; readonly max: number };
}

export interface ParamSpace {
  readonly strategyId: string;
  readonly schema: ParamSchema;
  readonly dims: readonly Dimension[];
  readonly fixed: RawParams;
  readonly constraints: readonly { readonly text: string; readonly test: Compiled }[];
  /** The strategy's own cross-parameter rules (sma-cross: fast < slow): a point that breaks one is never run. */
  readonly rules: readonly ParamConstraint[];
}

function bad(message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `--grid ${message}`);
}

function decimalsOf(x: number): number {
  const s = String(x);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Number(e[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** a..b by step, inclusive, rounded to the step's decimals so 0.1 steps do not drift. */
function steps(name: string, a: number, b: number, step: number): number[] {
  if (!(step > 0)) throw bad(`${name}: step ${step} is not positive`);
  if (b < a) throw bad(`${name}: ${b} is below ${a}`);
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > 1_000_000) throw bad(`${name}: ${n} values is too many`);
  const d = Math.max(decimalsOf(a), decimalsOf(step));
  return Array.from({ length: n }, (_, i) => Number((a + i * step).toFixed(d)));
}

function num(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw bad(`${name}: ${JSON.stringify(text)} is not a number`);
  return n;
}

function rawValues(name: string, spec: ParamSpec, text: string): { values: ParamValue[]; range?: { min: number; max: number } } {
  if (text === '*') {
    if (spec.type === 'enum') return { values: [...spec.options] };
    if (spec.type === 'boolean') return { values: [false, true] };
    throw bad(`${name}=*: only enum and boolean parameters have a known set of values`);
  }
  const parts = text.split(':');
  if ((spec.type === 'int' || spec.type === 'number') && (parts.length === 2 || parts.length === 3)) {
    const [a, b] = [num(name, parts[0] ?? ''), num(name, parts[1] ?? '')];
    if (parts.length === 3) return { values: steps(name, a, b, num(name, parts[2] ?? '')) };
    if (spec.type === 'int') return { values: steps(name, a, b, 1) };
    if (b <= a) throw bad(`${name}: ${b} is not above ${a}`);
    return { values: [], range: { min: a, max: b } };
  }
  return { values: text.split(',').map((v) => v.trim()) };
}

/** One dimension from `name=a:b:step`, `name=a:b`, `name=x,y,z` or `name=*`, each value checked by the schema. */
export function parseDimension(strategyId: string, schema: ParamSchema, text: string): Dimension {
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad(`${JSON.stringify(text)}: expected name=from:to:step, name=a,b,c or name=*`);
  const name = text.slice(0, eq).trim();
  const spec = Object.hasOwn(schema, name) ? schema[name] : undefined;
  if (spec === undefined) throw bad(`${name}: strategy ${strategyId} has no such parameter (known: ${Object.keys(schema).join(', ')})`);
  const { values, range } = rawValues(name, spec, text.slice(eq + 1).trim());
  const checked = values.map((v) => resolveParams(strategyId, schema, { [name]: v })[name] as ParamValue);
  if (range !== undefined) {
    resolveParams(strategyId, schema, { [name]: range.min });
    resolveParams(strategyId, schema, { [name]: range.max });
  }
  return { name, type: spec.type, values: [...new Set(checked)], ...(range === undefined ? {} : { range }) };
}

export interface SpaceInput {
  readonly strategyId: string;
  readonly schema: ParamSchema;
  readonly grid: readonly string[];
  readonly fixed?: RawParams;
  /** Expressions over parameter names, each must hold (e.g. "fast < slow"). */
  readonly constraints?: readonly string[];
  /** The strategy definition's constraints (StrategyDefinition.constraints). */
  readonly rules?: readonly ParamConstraint[];
}

export function buildSpace(input: SpaceInput): ParamSpace {
  if (input.grid.length === 0) throw bad('is needed at least once: name=from:to:step (see pi5 strategies for parameters)');
  const dims = input.grid.map((g) => parseDimension(input.strategyId, input.schema, g));
  const seen = new Set<string>();
  for (const d of dims) {
    if (seen.has(d.name)) throw bad(`${d.name}: given twice`);
    seen.add(d.name);
  }
  const fixed = input.fixed ?? {};
  for (const name of Object.keys(fixed)) if (seen.has(name)) throw bad(`${name}: both searched (--grid) and fixed (--param)`);
  resolveParams(input.strategyId, input.schema, fixed);
  const known = new Set(Object.keys(input.schema));
  const constraints = (input.constraints ?? []).map((text) => ({ text, test: compileExpression(text, known) }));
  return { strategyId: input.strategyId, schema: input.schema, dims, fixed, constraints, rules: input.rules ?? [] };
}

function asNumber(v: ParamValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** The full parameter record of a point: schema defaults, then fixed values, then the point. */
export function fullParams(space: ParamSpace, point: ParamPoint): ParamPoint {
  return resolveParams(space.strategyId, space.schema, { ...space.fixed, ...point }) as ParamPoint;
}

/** True when the point meets every parameter constraint. */
export function admissible(space: ParamSpace, point: ParamPoint): boolean {
  if (space.constraints.length === 0 && space.rules.length === 0) return true;
  const full = fullParams(space, point);
  const values = full as ParamValues<ParamSchema>;
  return space.rules.every((r) => r.holds(values)) && space.constraints.every((c) => truthy(c.test((n) => asNumber(full[n]))));
}

/** Grid points in order (last dimension fastest), constraint-pruned; refuses continuous dimensions. */
export function* gridPoints(space: ParamSpace): Generator<ParamPoint> {
  for (const d of space.dims) if (d.range !== undefined) throw bad(`${d.name}: a continuous range has no grid; give a step (from:to:step) or use --method random`);
  const idx = new Array<number>(space.dims.length).fill(0);
  if (space.dims.some((d) => d.values.length === 0)) return;
  for (;;) {
    const point: Record<string, ParamValue> = {};
    space.dims.forEach((d, i) => (point[d.name] = d.values[idx[i] ?? 0] as ParamValue));
    if (admissible(space, point)) yield point;
    let k = space.dims.length - 1;
    while (k >= 0 && (idx[k] = (idx[k] ?? 0) + 1) >= (space.dims[k] as Dimension).values.length) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** Number of points before constraint pruning (continuous dimensions count as infinite). */
export function gridSize(space: ParamSpace): number {
  return space.dims.reduce((n, d) => n * (d.range === undefined ? d.values.length : Infinity), 1);
}

/** A uniform random point: a random value of each discrete dimension, uniform over a continuous range. */
export function randomPoint(space: ParamSpace, rng: SeededRng): ParamPoint {
  const point: Record<string, ParamValue> = {};
  for (const d of space.dims) {
    point[d.name] = d.range === undefined ? (d.values[rng.int(0, d.values.length - 1)] as ParamValue) : d.range.min + rng.next() * (d.range.max - d.range.min);
  }
  return point;
}

/** A stable key of a point, for de-duplication and lookup. */
export function pointKey(point: ParamPoint): string {
  return JSON.stringify(Object.keys(point).sort().map((k) => [k, point[k]]));
}

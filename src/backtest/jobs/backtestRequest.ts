// What a backtest requested over the API may ask for, checked up front (zod for shape, then the same strategy,
// parameter, sizer and cost parsers the CLI uses) so a bad request is a 400 now, not a failed run later.
// Also the messages between the job runner and its worker thread.

import { z } from 'zod';
import { Pi5Error } from '../../core/errors.js';
import { parseTimeframe } from '../../model/timeframe.js';
import { backtestSpecDefaults, parseTradingSpecs } from '../../engine/specs.js';
import type { BarSeries } from '../../model/barSeries.js';
import { PRICE_ADJUSTMENTS, type PriceAdjustment } from '../../model/priceAdjustment.js';
import { resolveParams } from '../../strategy/params.js';
import { builtinStrategies, findBuiltin } from '../../strategy/registry.js';
import { parseDateOption } from '../../core/dates.js';

/** Built-ins that read files on the server (a path in a parameter) are not offered over the network. */
const FILE_READING_STRATEGIES: readonly string[] = ['signals'];

export const DEMO_BARS_DEFAULT = 2520;
export const DEMO_BARS_MAX = 5_000_000;

/** What a run is made of (strategy, data, money, costs): the fields a backtest request and an optimization request share. */
export const RUN_FIELDS = {
  strategy: z.string().min(1).max(64),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  symbols: z.array(z.string().min(1).max(32).regex(/^[A-Za-z0-9._^=-]+$/)).min(1).max(100),
  timeframe: z.string().min(1).max(8).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  cash: z.number().positive().max(1e12).optional(),
  size: z.string().min(1).max(64).optional(),
  commission: z.string().min(1).max(200).optional(),
  slippage: z.string().min(1).max(200).optional(),
  source: z.enum(['store', 'demo']).optional(),
  /** Stored bars as traded, split-adjusted or split- and dividend-adjusted (source 'store' only). */
  adjust: z.enum(PRICE_ADJUSTMENTS, { error: `expected one of ${PRICE_ADJUSTMENTS.join(', ')}` }).optional(),
  /** Bars per symbol of the seeded demo data (source 'demo' only). */
  demoBars: z.number().int().min(2).max(DEMO_BARS_MAX).optional(),
};

const requestSchema = z.strictObject(RUN_FIELDS);

export type BacktestRequest = z.input<typeof requestSchema>;

/** A checked request with every default filled in: what a run is made of, and what is stored as its config. */
export interface BacktestSpec {
  readonly strategy: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Inclusive bounds, epoch ms. */
  readonly from: number | null;
  readonly to: number | null;
  readonly cash: number;
  readonly size: string;
  readonly commission: string;
  readonly slippage: string;
  readonly source: 'store' | 'demo';
  readonly adjust: PriceAdjustment;
  readonly demoBars: number;
}

function badRequest(what: string, message: string, details: Record<string, unknown> = {}): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `${what} request: ${message}`, details);
}

const bad = (message: string, details: Record<string, unknown> = {}): Pi5Error => badRequest('backtest', message, details);

/** Parses a request body with a zod schema; the first issue names the field (`symbols.0: ...`) in a PI5_ERR_BAD_USAGE. */
export function shapeOf<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
  throw badRequest(what, `${where}: ${issue?.message ?? 'invalid'}`, { field: where, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

function strategyOf(id: string): void {
  if (findBuiltin(id) === undefined) {
    const ids = builtinStrategies().map((s) => s.id).filter((s) => !FILE_READING_STRATEGIES.includes(s));
    throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `unknown strategy ${JSON.stringify(id)}; built-in ids: ${ids.join(', ')}`, { strategy: id });
  }
  if (FILE_READING_STRATEGIES.includes(id)) throw bad(`strategy ${id} reads a file on the server and is only available from the CLI`, { strategy: id });
}

/** Checks a request as it came over the wire; throws PI5_ERR_* (all 4xx) naming the bad field. */
export function checkBacktestRequest(raw: unknown): BacktestSpec {
  return runSpecOf(shapeOf(requestSchema, raw, 'backtest'), 'backtest');
}

/** The run fields of a shaped request checked as a backtest checks them (strategy, parameters, range, specs, source). */
export function runSpecOf(r: z.output<z.ZodObject<typeof RUN_FIELDS>>, what: string): BacktestSpec {
  const bad = (message: string, details: Record<string, unknown> = {}): Pi5Error => badRequest(what, message, details);
  strategyOf(r.strategy);
  const def = findBuiltin(r.strategy);
  if (def === undefined) throw bad(`unknown strategy ${r.strategy}`);
  const params = resolveParams(def.id, def.params, r.params ?? {});
  const timeframe = r.timeframe ?? '1d';
  if (parseTimeframe(timeframe) === null) throw bad(`timeframe ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`, { field: 'timeframe' });
  const from = r.from === undefined ? null : parseDateOption('from', r.from, false);
  const to = r.to === undefined ? null : parseDateOption('to', r.to, true);
  if (from !== null && to !== null && from > to) throw bad(`from ${r.from ?? ''} is after to ${r.to ?? ''}`, { field: 'from' });
  // Checked now (a 400), kept as text: the spec is stored as the run's config and crosses to the worker thread.
  const symbols = [...new Set(r.symbols.map((s) => s.toUpperCase()))];
  const d = backtestSpecDefaults(symbols.length);
  const [size, commission, slippage] = [r.size ?? d.size, r.commission ?? d.commission, r.slippage ?? d.slippage];
  parseTradingSpecs({ size, commission, slippage });
  const source = r.source ?? 'store';
  if (r.demoBars !== undefined && source !== 'demo') throw bad('demoBars applies to source "demo" only', { field: 'demoBars' });
  const adjust = r.adjust ?? 'none';
  if (adjust !== 'none' && source !== 'store') throw bad(`adjust ${adjust} applies to source "store" only (demo bars have no corporate actions)`, { field: 'adjust' });
  return { strategy: def.id, params, symbols, timeframe, from, to, cash: r.cash ?? 100_000, size, commission, slippage, source, adjust, demoBars: r.demoBars ?? DEMO_BARS_DEFAULT };
}

/** The spec as stored in backtest_runs.config (times as ISO text, like every time in the result JSON). */
export function specJson(s: BacktestSpec): Record<string, unknown> {
  const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
  const { demoBars, ...rest } = s;
  return { ...rest, from: iso(s.from), to: iso(s.to), ...(s.source === 'demo' ? { demoBars } : {}) };
}

/** What a worker is started with: the spec, and the bars when they come from the store. */
export interface WorkerInput {
  readonly spec: BacktestSpec;
  readonly series: readonly BarSeries[] | null;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly resultJson: string; readonly metrics: Record<string, number | null>; readonly html: string }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

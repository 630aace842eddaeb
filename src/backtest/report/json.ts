// The `--json` result (DESIGN.md §12): the object shape, and a block-wise writer for long equity curves
// that produces the same text as JSON.stringify of that object.

import { Buffer } from 'node:buffer';
import type { RiskSnapshot } from '../../model/events.js';
import type { ClosedTrade, OpenPositionReport } from '../../model/types.js';
import type { BacktestConfigReport, BacktestResult, Metrics, MonthlyReturn, RiskRejection } from '../types.js';
import { isoTime } from './format.js';
import { equityCurveBlocks } from './jsonCurve.js';
import { tradeBlocks } from './jsonTrades.js';
import { equitySeries } from './series.js';
import { writeChunks } from './writeChunks.js';

/** A number as JSON can hold it: NaN and ±Infinity become null. */
export type JsonNumber = number | null;

export type MetricsJson = { readonly [K in keyof Metrics]: JsonNumber };

export interface TradeJson {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: JsonNumber;
  readonly entryTime: string | null;
  readonly entryPrice: JsonNumber;
  readonly exitTime: string | null;
  readonly exitPrice: JsonNumber;
  readonly pnl: JsonNumber;
  readonly commission: JsonNumber;
  readonly slippage: JsonNumber;
  readonly entryBar: JsonNumber;
  readonly exitBar: JsonNumber;
}

export interface OpenPositionJson {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: JsonNumber;
  readonly entryTime: string | null;
  readonly avgPrice: JsonNumber;
  readonly lastPrice: JsonNumber;
  readonly unrealizedPnl: JsonNumber;
}

export interface MonthlyReturnJson {
  readonly year: number;
  readonly month: number;
  readonly return: JsonNumber;
}

export interface RejectionJson {
  readonly time: string | null;
  readonly symbol: string;
  readonly code: string;
  readonly message: string;
}

export type ConfigJson = Omit<BacktestConfigReport, 'cash' | 'periodsPerYear' | 'riskFreeRate' | 'seed' | 'params'> & {
  readonly params: Readonly<Record<string, string | JsonNumber | boolean>>;
  readonly cash: JsonNumber;
  readonly periodsPerYear: JsonNumber;
  readonly riskFreeRate: JsonNumber;
  readonly seed: JsonNumber;
};

export interface SymbolExposureJson {
  readonly symbol: string;
  readonly quantity: JsonNumber;
  readonly lastPrice: JsonNumber;
  readonly exposure: JsonNumber;
  readonly fractionOfEquity: JsonNumber;
}

/** A RiskSnapshot with its time as ISO text and non-finite numbers as null. */
export type RiskSnapshotJson = {
  readonly [K in keyof Omit<RiskSnapshot, 'ts' | 'exposures'>]: JsonNumber;
} & { readonly time: string | null; readonly exposures: readonly SymbolExposureJson[] };

/** Everything before the equity curve, in output order. */
interface ResultJsonHead {
  readonly version: string;
  readonly config: ConfigJson;
  readonly metrics: MetricsJson;
  readonly trades: readonly TradeJson[];
  readonly openPositions: readonly OpenPositionJson[];
}

/** Everything after the equity curve, in output order. */
interface ResultJsonTail {
  readonly monthlyReturns: readonly MonthlyReturnJson[];
  readonly rejections: readonly RejectionJson[];
  readonly finalCash: string;
  /** Only when the run had a risk monitor; always last. */
  readonly riskSnapshots?: readonly RiskSnapshotJson[];
}

export type ResultJson = ResultJsonHead & {
  readonly equityCurve: readonly (readonly [string | null, JsonNumber])[];
} & ResultJsonTail;

export function jsonNumber(x: number): JsonNumber {
  return Number.isFinite(x) ? x : null;
}

function configJson(c: BacktestConfigReport): ConfigJson {
  const params: Record<string, string | JsonNumber | boolean> = {};
  for (const [k, v] of Object.entries(c.params)) params[k] = typeof v === 'number' ? jsonNumber(v) : v;
  return {
    ...c,
    params,
    cash: jsonNumber(c.cash),
    periodsPerYear: jsonNumber(c.periodsPerYear),
    riskFreeRate: jsonNumber(c.riskFreeRate),
    seed: jsonNumber(c.seed),
  };
}

export function metricsJson(m: Metrics): MetricsJson {
  const out: Record<string, JsonNumber> = {};
  for (const [k, v] of Object.entries(m)) out[k] = typeof v === 'number' ? jsonNumber(v) : null;
  return out as MetricsJson;
}

export function tradeJson(t: ClosedTrade): TradeJson {
  return {
    symbol: t.symbol,
    side: t.side,
    quantity: jsonNumber(t.quantity),
    entryTime: isoTime(t.entryTime),
    entryPrice: jsonNumber(t.entryPrice),
    exitTime: isoTime(t.exitTime),
    exitPrice: jsonNumber(t.exitPrice),
    pnl: jsonNumber(t.pnl),
    commission: jsonNumber(t.commission),
    slippage: jsonNumber(t.slippage),
    entryBar: jsonNumber(t.entryBar),
    exitBar: jsonNumber(t.exitBar),
  };
}

function openPositionJson(p: OpenPositionReport): OpenPositionJson {
  return {
    symbol: p.symbol,
    side: p.side,
    quantity: jsonNumber(p.quantity),
    entryTime: isoTime(p.entryTime),
    avgPrice: jsonNumber(p.avgPrice),
    lastPrice: jsonNumber(p.lastPrice),
    unrealizedPnl: jsonNumber(p.unrealizedPnl),
  };
}

function monthlyJson(m: MonthlyReturn): MonthlyReturnJson {
  return { year: m.year, month: m.month, return: jsonNumber(m.return) };
}

function rejectionJson(r: RiskRejection): RejectionJson {
  return { time: isoTime(r.time), symbol: r.symbol, code: r.code, message: r.message };
}

function riskSnapshotJson(s: RiskSnapshot): RiskSnapshotJson {
  const n = (x: number | null): JsonNumber => (x === null ? null : jsonNumber(x));
  return {
    time: isoTime(s.ts),
    step: n(s.step),
    equity: n(s.equity),
    exposures: s.exposures.map((e) => ({
      symbol: e.symbol,
      quantity: n(e.quantity),
      lastPrice: n(e.lastPrice),
      exposure: n(e.exposure),
      fractionOfEquity: n(e.fractionOfEquity),
    })),
    grossExposure: n(s.grossExposure),
    netExposure: n(s.netExposure),
    grossFraction: n(s.grossFraction),
    netFraction: n(s.netFraction),
    dailyPnl: n(s.dailyPnl),
    peakEquity: n(s.peakEquity),
    drawdown: n(s.drawdown),
    windowReturns: n(s.windowReturns),
    var95: n(s.var95),
    es95: n(s.es95),
    var99: n(s.var99),
    es99: n(s.es99),
    hhi: n(s.hhi),
    beta: n(s.beta),
  };
}

function headJson(result: BacktestResult): ResultJsonHead {
  return {
    version: result.version,
    config: configJson(result.config),
    metrics: metricsJson(result.metrics),
    trades: result.trades.map(tradeJson),
    openPositions: result.openPositions.map(openPositionJson),
  };
}

function tailJson(result: BacktestResult): ResultJsonTail {
  return {
    monthlyReturns: result.monthlyReturns.map(monthlyJson),
    rejections: result.rejections.map(rejectionJson),
    finalCash: result.finalCash,
    ...(result.riskSnapshots === undefined ? {} : { riskSnapshots: result.riskSnapshots.map(riskSnapshotJson) }),
  };
}

/** The result as a plain object; fine for small runs and the API, but see resultJsonChunks for long curves. */
export function toResultJson(result: BacktestResult): ResultJson {
  const { times, equity } = equitySeries(result);
  const equityCurve: [string | null, JsonNumber][] = new Array(times.length);
  for (let i = 0; i < times.length; i++) {
    equityCurve[i] = [isoTime(times[i] ?? Number.NaN), jsonNumber(equity[i] ?? Number.NaN)];
  }
  return { ...headJson(result), equityCurve, ...tailJson(result) };
}

/**
 * The text of JSON.stringify(toResultJson(result)) in pieces: the small parts through JSON.stringify,
 * the trades and the equity curve as byte blocks, never one giant string.
 */
export function* resultJsonBlocks(result: BacktestResult): Generator<string | Buffer> {
  const { times, equity } = equitySeries(result);
  const start = JSON.stringify({ version: result.version, config: configJson(result.config), metrics: metricsJson(result.metrics) });
  const tail = JSON.stringify(tailJson(result));
  yield `${start.slice(0, -1)},"trades":[`;
  yield* tradeBlocks(result.trades);
  yield `],"openPositions":${JSON.stringify(result.openPositions.map(openPositionJson))},"equityCurve":[`;
  yield* equityCurveBlocks(times, equity);
  yield `],${tail.slice(1)}`;
}

/** Same pieces as text, for callers that stream to a socket or compare in tests (a block never splits a character). */
export function* resultJsonChunks(result: BacktestResult): Generator<string> {
  for (const block of resultJsonBlocks(result)) yield typeof block === 'string' ? block : block.toString('utf8');
}

/** Writes the `--json` file block by block (1M bars well under a second). */
export async function writeResultJson(path: string, result: BacktestResult): Promise<void> {
  await writeChunks(path, resultJsonBlocks(result));
}

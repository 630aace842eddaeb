// The public strategy API: all a strategy can see of the engine. Strategies never import engine internals,
// so the same strategy runs unchanged in a backtest, on paper and live.

import type { AlgoRequest, AlgoUpdate } from '../model/algo.js';
import type {
  Bar,
  BracketRequest,
  Fill,
  Instrument,
  Order,
  OrderChanges,
  OrderRequest,
  PositionView,
  Quote,
  SignalKind,
  Timeframe,
  TimeInForce,
  Trade,
  OrderType,
} from '../model/types.js';
import type { ParamSchema, ParamValues } from './params.js';

/** Closed bars of one symbol and timeframe, newest first: `close(0)` is the latest close. */
export interface BarHistory {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** How many closed bars are available (bounded by the history length for live feeds). */
  readonly length: number;
  time(ago?: number): number;
  open(ago?: number): number;
  high(ago?: number): number;
  low(ago?: number): number;
  close(ago?: number): number;
  volume(ago?: number): number;
  bar(ago?: number): Bar;
  /** The last n closes, oldest first (allocates: avoid on hot paths). */
  closes(n: number): number[];
}

export interface SignalOptions {
  /** Overrides the sizer. */
  readonly quantity?: number;
  /** Protective stop level: sizes risk-based entries, and on a BUY/SELL signal makes the entry a bracket with this stop-loss. */
  readonly stopPrice?: number;
  readonly takeProfitPrice?: number;
  readonly type?: OrderType;
  readonly limitPrice?: number;
  readonly tif?: TimeInForce;
  readonly tag?: string;
}

/** A running execution algorithm (ctx.submitAlgo). */
export interface AlgoHandle {
  /** `algo-N`: the tag of every child order. */
  readonly id: string;
  /** The parent's current state: status, filled and remaining quantity, children. */
  status(): AlgoUpdate;
  /** Cancels the working children and ends the parent; false when it had already ended. */
  cancel(): boolean;
}

export interface StrategyLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface StrategyContext {
  /** Instance id of this strategy in the run. */
  readonly strategyId: string;
  /** Symbols this strategy trades, in the order given. */
  readonly symbols: readonly string[];
  /** Timeframe of the bars that drive the run. */
  readonly baseTimeframe: Timeframe;
  /**
   * Current time (epoch ms UTC) from the engine's clock. During onBar it is the bar's `ts` (its open
   * instant, or its date for daily bars); the decision itself happens at that bar's close.
   */
  now(): number;
  instrument(symbol: string): Instrument;
  /**
   * Whether the symbol's market trades at now(): NYSE regular hours (9:30–16:00 New York, 13:00 on half days;
   * `extended` adds 4:00–9:30 and 16:00–20:00), or always for crypto pairs (`BTC/USD`). On daily or coarser
   * bars: whether now()'s date is a trading day. Derived from the bar time, so backtests stay deterministic.
   * Default symbol: the strategy's first.
   */
  isMarketOpen(symbol?: string, options?: { readonly extended?: boolean }): boolean;
  /** Asks for bars of a coarser timeframe of a symbol, aggregated from the base bars. Call in onStart. */
  subscribe(symbol: string, timeframe: Timeframe): void;
  history(symbol: string, timeframe?: Timeframe): BarHistory;
  lastQuote(symbol: string): Quote | undefined;

  /** Signed position quantity (long > 0, short < 0). */
  position(symbol: string): number;
  positionView(symbol: string): PositionView;
  cash(): number;
  equity(): number;
  openOrders(symbol?: string): readonly Order[];

  /**
   * Emits a signal; the risk engine sizes it and submits the resulting orders. Signals act on the
   * position the strategy will have once its working market orders fill, so a repeated BUY before the
   * first one fills does nothing.
   */
  signal(symbol: string, kind: SignalKind, options?: SignalOptions): readonly Order[];
  /** Market (or typed) buy; quantity defaults to the run's sizer. Null when the risk engine refused it. */
  buy(symbol: string, quantity?: number, options?: SignalOptions): Order | null;
  sell(symbol: string, quantity?: number, options?: SignalOptions): Order | null;
  /** Closes the whole position in a symbol at market. */
  close(symbol: string, tag?: string): Order | null;
  submit(request: OrderRequest): Order | null;
  submitBracket(request: BracketRequest): readonly Order[];
  /** Orders that cancel each other: the first to fill cancels the rest. */
  submitOco(requests: readonly OrderRequest[]): readonly Order[];
  cancel(orderId: number): boolean;
  cancelAll(symbol?: string): number;
  /**
   * Modifies one of this strategy's working orders in place (same id; cancel/replace at the venue):
   * quantity (the new total, above what has filled), prices, trailing distance, TIF. Checked like a new
   * order, risk checks included. False when refused by risk or when the order is finished or has a cancel
   * or modify pending; throws PI5_ERR_BAD_ORDER for malformed changes.
   */
  modify(orderId: number, changes: OrderChanges): boolean;
  /**
   * Works a parent order by an execution algorithm (TWAP, VWAP, POV): child orders, tagged with the
   * handle's id, go through the risk checks like any order. Throws PI5_ERR_BAD_ORDER for a bad request.
   */
  submitAlgo(request: AlgoRequest): AlgoHandle;

  /** Calls onTimer(name) at `atMs`, then every `repeatMs` if given. */
  setTimer(name: string, atMs: number, repeatMs?: number): void;
  cancelTimer(name: string): void;
  readonly log: StrategyLog;
}

export interface Strategy {
  onStart?(ctx: StrategyContext): void;
  /** Every closed bar of every subscribed symbol and timeframe, in time order. */
  onBar?(bar: Bar, ctx: StrategyContext): void;
  /** Once per distinct bar time, after every symbol's bar at that time: for cross-sectional logic. */
  onBarsClosed?(time: number, ctx: StrategyContext): void;
  onQuote?(quote: Quote, ctx: StrategyContext): void;
  /** A print on the tape of one of the strategy's symbols (live feeds that carry trades). */
  onTrade?(trade: Trade, ctx: StrategyContext): void;
  onFill?(fill: Fill, ctx: StrategyContext): void;
  onOrderUpdate?(order: Order, ctx: StrategyContext): void;
  onTimer?(name: string, ctx: StrategyContext): void;
  onStop?(ctx: StrategyContext): void;
}

export interface StrategyDefinition<S extends ParamSchema = ParamSchema> {
  /** kebab-case id, e.g. `sma-cross`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly params: S;
  /** Rules across parameters (fast < slow), checked with the values before any bar runs. */
  readonly constraints?: readonly ParamConstraint<S>[];
  /**
   * False declares that the strategy reads each bar only during its `onBar` call and keeps no bar object
   * after it returns: a backtest (and every optimizer trial) may then hand it one reused bar object per symbol,
   * rewritten for each bar, instead of a fresh one, which is most of what a trial allocates. Left out (or
   * true), every bar is a fresh object the strategy may keep.
   */
  readonly keepsBars?: boolean;
  create(params: ParamValues<S>): Strategy;
}

export interface ParamConstraint<S extends ParamSchema = ParamSchema> {
  /** The parameters the rule involves; the error names the first. (Plain strings: `keyof S` would make definitions invariant in S.) */
  readonly params: readonly [string, ...string[]];
  /** The rule as people say it, e.g. "fast < slow". */
  readonly rule: string;
  holds(params: ParamValues<S>): boolean;
}

/** Identity helper that infers parameter types from the schema. */
export function defineStrategy<const S extends ParamSchema>(def: StrategyDefinition<S>): StrategyDefinition<S> {
  return def;
}

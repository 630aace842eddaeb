// Hosts one strategy instance: implements the StrategyContext it sees, routes bars, fills, order updates
// and timers to it, and turns its signals into sized orders through the order gateway.

import { Pi5Error } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import { parseTimeframe } from '../model/timeframe.js';
import { calendarFor } from '../data/calendar/marketCalendar.js';
import type { AlgoRequest } from '../model/algo.js';
import type { Bar, BracketRequest, ClosedTrade, Fill, Instrument, Order, OrderChanges, OrderRequest, PositionView, Quote, SignalKind, Side, Trade } from '../model/types.js';
import type { AlgoScheduler } from '../execution/algos/scheduler.js';
import type { OrderManager } from '../execution/oms.js';
import { canRequest } from '../execution/orderStates.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { StrategyPositions } from '../portfolio/strategyPositions.js';
import type { StrategyCapital } from '../risk/allocation/allocator.js';
import type { Sizer, SizingInput } from '../risk/sizing.js';
import type { AlgoHandle, BarHistory, SignalOptions, Strategy, StrategyContext, StrategyLog } from '../strategy/api.js';
import type { OrderGateway } from './orderGateway.js';
import type { MarketState } from './marketState.js';
import type { TimerQueue } from './timers.js';

export interface StrategyHostDeps {
  readonly strategyId: string;
  readonly strategy: Strategy;
  readonly symbols: readonly string[];
  readonly baseTimeframe: string;
  readonly clock: Clock;
  readonly market: MarketState;
  readonly portfolio: Portfolio;
  /** The per-strategy books when positions are attributed (the strategy sees only its own); null: it sees the account's net. */
  readonly attribution: StrategyPositions | null;
  readonly oms: OrderManager;
  readonly gateway: OrderGateway;
  readonly sizer: Sizer;
  /** Buying-power allowance handed to the sizer (cash × leverage); omitted, the sizer does not cap. Read per sizing: limits can change at run time. */
  readonly leverage?: () => number;
  /** The strategy's allocated capital, when the kernel allocates capital across strategies (null: the whole account). */
  readonly allocatedCapital?: () => StrategyCapital | null;
  readonly timers: TimerQueue;
  /** The kernel's algorithm scheduler, created on first use. */
  readonly algos: () => AlgoScheduler;
  readonly log: Logger;
}

export class StrategyHost implements StrategyContext {
  readonly strategyId: string;
  readonly symbols: readonly string[];
  readonly baseTimeframe: string;
  readonly log: StrategyLog;
  private readonly s: Strategy;
  /** Symbols whose base-timeframe bars reach the strategy: its own, and any it subscribes to at that timeframe. */
  private readonly seen: Set<string>;
  /** False when the strategy trades every instrument of the run (the usual backtest): nothing to filter. */
  private readonly filtered: boolean;
  /** "SYMBOL|tf" of the coarser bars it subscribed to: only those reach it (another strategy's do not). */
  private readonly coarser = new Set<string>();
  /** Symbols whose quotes and trades reach the strategy: its own and every one it subscribed to, at any timeframe. */
  private readonly quoted: Set<string>;
  /** Daily or coarser base bars carry a date, not a time of day: "open" then means a trading day. */
  private readonly dailyBars: boolean;

  constructor(private readonly d: StrategyHostDeps) {
    this.strategyId = d.strategyId;
    this.symbols = d.symbols;
    this.seen = new Set(d.symbols);
    this.quoted = new Set(d.symbols);
    this.filtered = d.market.symbols().some((x) => !this.seen.has(x));
    this.baseTimeframe = d.baseTimeframe;
    this.dailyBars = (parseTimeframe(d.baseTimeframe)?.ms ?? 0) >= 86_400_000;
    this.s = d.strategy;
    const log = d.log.child({ strategy: d.strategyId });
    this.log = {
      debug: (m, f) => log.debug(m, { ...f, time: new Date(d.clock.now()).toISOString() }),
      info: (m, f) => log.info(m, { ...f, time: new Date(d.clock.now()).toISOString() }),
      warn: (m, f) => log.warn(m, { ...f, time: new Date(d.clock.now()).toISOString() }),
    };
  }

  // Dispatch from the kernel

  start(): void {
    this.s.onStart?.(this);
  }
  bar(bar: Bar): void {
    if (this.filtered && !this.seen.has(bar.symbol)) return;
    this.s.onBar?.(bar, this);
  }
  /** A bar aggregated to a coarser timeframe (some strategy subscribed to it): delivered only if this one did. */
  coarserBar(bar: Bar): void {
    if (this.coarser.has(`${bar.symbol}|${bar.timeframe}`)) this.s.onBar?.(bar, this);
  }
  barsClosed(ts: number): void {
    this.s.onBarsClosed?.(ts, this);
  }
  quote(q: Quote): void {
    if (this.filtered && !this.quoted.has(q.symbol)) return;
    this.s.onQuote?.(q, this);
  }
  trade(t: Trade): void {
    if (this.filtered && !this.quoted.has(t.symbol)) return;
    this.s.onTrade?.(t, this);
  }
  fill(f: Fill): void {
    if (f.strategyId === this.strategyId) this.s.onFill?.(f, this);
  }
  orderUpdate(o: Order): void {
    if (o.strategyId === this.strategyId) this.s.onOrderUpdate?.(o, this);
  }
  timer(name: string): void {
    this.s.onTimer?.(name, this);
  }
  stop(): void {
    this.s.onStop?.(this);
  }
  get wantsBarsClosed(): boolean {
    return this.s.onBarsClosed !== undefined;
  }

  // StrategyContext

  now(): number {
    return this.d.clock.now();
  }
  instrument(symbol: string): Instrument {
    return this.d.market.instrument(symbol);
  }
  isMarketOpen(symbol?: string, options?: { readonly extended?: boolean }): boolean {
    const calendar = calendarFor(symbol ?? this.symbols[0] ?? '');
    const t = this.now();
    return this.dailyBars ? calendar.isTradingDay(t) : calendar.isOpen(t, options);
  }
  subscribe(symbol: string, timeframe: string): void {
    const tf = parseTimeframe(timeframe);
    if (!tf) throw new Pi5Error('PI5_ERR_BAD_USAGE', `strategy ${this.strategyId}: ${JSON.stringify(timeframe)} is not a timeframe`);
    this.d.market.subscribe(symbol, tf);
    this.quoted.add(symbol);
    if (tf.text === this.baseTimeframe) this.seen.add(symbol);
    else this.coarser.add(`${symbol}|${tf.text}`);
  }
  history(symbol: string, timeframe?: string): BarHistory {
    return this.d.market.history(symbol, timeframe);
  }
  lastQuote(symbol: string): Quote | undefined {
    return this.d.market.lastQuote(symbol);
  }
  position(symbol: string): number {
    const a = this.d.attribution;
    return a === null ? this.d.portfolio.quantity(symbol) : a.quantity(this.strategyId, symbol);
  }
  positionView(symbol: string): PositionView {
    const a = this.d.attribution;
    return a === null ? this.d.portfolio.view(symbol) : a.view(this.strategyId, symbol);
  }
  cash(): number {
    return this.d.portfolio.cash();
  }
  equity(): number {
    return this.d.portfolio.equity();
  }
  openOrders(symbol?: string): readonly Order[] {
    return this.d.oms.openOrders(symbol).filter((o) => o.strategyId === this.strategyId);
  }

  signal(symbol: string, kind: SignalKind, options: SignalOptions = {}): readonly Order[] {
    const pos = this.projectedPosition(symbol);
    switch (kind) {
      case 'HOLD':
        return [];
      case 'CLOSE_LONG':
        return pos > 0 ? this.some(this.order(symbol, 'sell', pos, options)) : [];
      case 'CLOSE_SHORT':
        return pos < 0 ? this.some(this.order(symbol, 'buy', -pos, options)) : [];
      case 'BUY':
        return pos > 0 ? [] : this.enter(symbol, 'buy', -pos, options);
      case 'SELL':
        return pos < 0 ? [] : this.enter(symbol, 'sell', pos, options);
    }
  }

  buy(symbol: string, quantity?: number, options: SignalOptions = {}): Order | null {
    return this.order(symbol, 'buy', quantity ?? this.sizedQuantity(symbol, options), options);
  }
  sell(symbol: string, quantity?: number, options: SignalOptions = {}): Order | null {
    return this.order(symbol, 'sell', quantity ?? this.sizedQuantity(symbol, options), options);
  }
  close(symbol: string, tag?: string): Order | null {
    const pos = this.position(symbol);
    if (pos === 0) return null;
    return this.order(symbol, pos > 0 ? 'sell' : 'buy', Math.abs(pos), tag === undefined ? {} : { tag });
  }
  submit(request: OrderRequest): Order | null {
    return this.d.gateway.submit(request, this.strategyId);
  }
  submitBracket(request: BracketRequest): readonly Order[] {
    return this.d.gateway.submitBracket(request, this.strategyId);
  }
  submitOco(requests: readonly OrderRequest[]): readonly Order[] {
    return this.d.gateway.submitOco(requests, this.strategyId);
  }
  cancel(orderId: number): boolean {
    const o = this.d.oms.get(orderId);
    return o !== undefined && o.strategyId === this.strategyId && this.d.oms.cancel(orderId);
  }
  cancelAll(symbol?: string): number {
    let n = 0;
    for (const o of [...this.openOrders(symbol)]) if (this.d.oms.cancel(o.id)) n++;
    return n;
  }
  modify(orderId: number, changes: OrderChanges): boolean {
    const o = this.d.oms.get(orderId);
    if (o === undefined || o.strategyId !== this.strategyId) return false;
    // Finished, or a cancel or modify still pending: a refusal, not a bug (it may have filled on this bar).
    if (o.status !== 'new' && !canRequest(o, 'pending_replace')) return false;
    return this.d.gateway.modify(orderId, changes, this.strategyId);
  }
  submitAlgo(request: AlgoRequest): AlgoHandle {
    return this.d.algos().submit(request, this.strategyId);
  }
  setTimer(name: string, atMs: number, repeatMs?: number): void {
    this.d.timers.set(this, name, atMs, repeatMs);
  }
  cancelTimer(name: string): void {
    this.d.timers.cancel(this, name);
  }

  // Signal helpers

  /** The position once this strategy's working market orders fill (conditional orders are not counted). */
  private projectedPosition(symbol: string): number {
    let pos = this.position(symbol);
    for (const o of this.d.oms.openOrders()) {
      if (o.symbol !== symbol || o.strategyId !== this.strategyId || o.type !== 'market') continue;
      const remaining = o.quantity - o.filledQuantity;
      pos += o.side === 'buy' ? remaining : -remaining;
    }
    return pos;
  }

  private some(o: Order | null): readonly Order[] {
    return o === null ? [] : [o];
  }

  /** The quantity a signal without one gets (public so the pre-trade benchmark times the real sizing path). */
  sizedQuantity(symbol: string, options: SignalOptions = {}): number {
    // With an allocation the sizer sizes within the strategy's share of the account, not the whole of it.
    const capital = this.d.allocatedCapital?.() ?? null;
    const input: { -readonly [K in keyof SizingInput]: SizingInput[K] } = {
      symbol,
      price: this.d.market.lastClose(symbol),
      equity: capital === null ? this.equity() : capital.equity,
      cash: capital === null ? this.cash() : capital.cash,
      lotSize: this.instrument(symbol).lotSize,
      history: this.history(symbol),
      historyOf: this.historyOf,
      // Lazy: only equal-weight, risk-parity and Kelly sizers pay for these.
      activeSymbols: () => this.activeSymbols(symbol),
      closedTrades: this.closedTrades,
    };
    // Set only when known (no spread of a fresh object per order): absent means "not given" to a sizer.
    if (options.stopPrice !== undefined) input.stopPrice = options.stopPrice;
    if (this.d.leverage !== undefined) input.leverage = this.d.leverage();
    return this.d.sizer.size(input);
  }

  // Made once per host rather than per sizing.
  private readonly historyOf = (symbol: string): BarHistory => this.history(symbol);
  private readonly closedTrades = (): readonly ClosedTrade[] => this.d.portfolio.trades;

  /** This strategy's symbols held or being entered by working market orders, plus the one being sized. */
  private activeSymbols(entering: string): string[] {
    return this.symbols.filter((s) => s === entering || this.projectedPosition(s) !== 0);
  }

  /** Goes long (buy) or short (sell): closes an opposite position first, then enters with the sized quantity. */
  private enter(symbol: string, side: Side, opposite: number, options: SignalOptions): readonly Order[] {
    const out: Order[] = [];
    if (opposite !== 0) {
      const closing = this.order(symbol, side, Math.abs(opposite), { tag: options.tag ?? 'reverse' });
      if (closing === null) return out;
      out.push(closing);
    }
    const qty = options.quantity ?? this.sizedQuantity(symbol, options);
    if (qty <= 0) return out;
    const entry = this.request(symbol, side, qty, options);
    if (options.stopPrice !== undefined || options.takeProfitPrice !== undefined) {
      out.push(
        ...this.submitBracket({
          entry,
          ...(options.takeProfitPrice === undefined ? {} : { takeProfit: { limitPrice: options.takeProfitPrice } }),
          ...(options.stopPrice === undefined ? {} : { stopLoss: { stopPrice: options.stopPrice } }),
        }),
      );
    } else {
      const o = this.submit(entry);
      if (o) out.push(o);
    }
    return out;
  }

  private order(symbol: string, side: Side, quantity: number, options: SignalOptions): Order | null {
    if (quantity <= 0) return null;
    return this.submit(this.request(symbol, side, quantity, options));
  }

  private request(symbol: string, side: Side, quantity: number, o: SignalOptions): OrderRequest {
    return {
      symbol,
      side,
      quantity,
      type: o.type ?? (o.limitPrice !== undefined ? 'limit' : 'market'),
      ...(o.limitPrice === undefined ? {} : { limitPrice: o.limitPrice }),
      ...(o.tif === undefined ? {} : { tif: o.tif }),
      ...(o.tag === undefined ? {} : { tag: o.tag }),
    };
  }
}

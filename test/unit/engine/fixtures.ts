// Shared helpers for the kernel unit tests: tiny hand-built bar series, a scripted strategy that submits
// given orders on given bars and records every fill and order update it sees, and small builders for
// fills and real kernel parts (bus, clock, OMS, simulated exchange).

import { MessageBus } from '../../../src/core/bus.js';
import { SimulatedClock } from '../../../src/core/clock.js';
import { runBacktest, type BacktestInput } from '../../../src/engine/backtestRunner.js';
import { parseTradingSpecs, type TradingSpecTexts } from '../../../src/engine/specs.js';
import { OrderManager } from '../../../src/execution/oms.js';
import { parseCommission } from '../../../src/execution/venues/sim/commission.js';
import { SimulatedExchange, type ExchangeConfig } from '../../../src/execution/venues/sim/exchange.js';
import { parseSlippage } from '../../../src/execution/venues/sim/slippage.js';
import { allocateSeries, type BarSeries } from '../../../src/model/barSeries.js';
import type { KernelEvents } from '../../../src/model/events.js';
import { toPu } from '../../../src/model/money.js';
import type { Bar, Fill, Instrument, Order, OrderStatus, Side } from '../../../src/model/types.js';
import type { BacktestResult } from '../../../src/backtest/types.js';
import { defineStrategy, type StrategyContext, type StrategyDefinition } from '../../../src/strategy/api.js';

export const DAY_MS = 86_400_000;
/** Monday 2024-01-01 00:00 UTC: bar i of a daily fixture series is at T0 + i days. */
export const T0 = Date.UTC(2024, 0, 1);

export function day(i: number): number {
  return T0 + i * DAY_MS;
}

/** open, high, low, close and (default 1 000 000) volume of one bar. */
export type Row = readonly [open: number, high: number, low: number, close: number, volume?: number];

export interface SeriesOptions {
  readonly symbol?: string;
  readonly timeframe?: string;
  /** Time of the first bar (default T0). */
  readonly start?: number;
  /** Distance between bars (default one day). */
  readonly stepMs?: number;
  /** Explicit bar times (overrides start/stepMs). */
  readonly times?: readonly number[];
  readonly priceDecimals?: number;
}

export function series(rows: readonly Row[], o: SeriesOptions = {}): BarSeries {
  const s = allocateSeries(o.symbol ?? 'AAA', o.timeframe ?? '1d', rows.length, o.priceDecimals ?? 2);
  rows.forEach((r, i) => {
    s.ts[i] = o.times?.[i] ?? (o.start ?? T0) + i * (o.stepMs ?? DAY_MS);
    s.open[i] = r[0];
    s.high[i] = r[1];
    s.low[i] = r[2];
    s.close[i] = r[3];
    s.volume[i] = r[4] ?? 1_000_000;
  });
  return s;
}

/** What a scripted strategy does on one of its bars (0-based index in its first symbol's series). */
export type Action = (ctx: StrategyContext, bar: Bar) => void;

export interface OrderUpdate {
  readonly id: number;
  readonly status: OrderStatus;
  readonly ts: number;
  readonly filledQuantity: number;
}

export interface Recording {
  readonly fills: Fill[];
  readonly updates: OrderUpdate[];
}

export interface ScriptHooks {
  readonly onFill?: (fill: Fill, ctx: StrategyContext) => void;
  readonly onStart?: (ctx: StrategyContext) => void;
  /** Run the actions from onBarsClosed (after every symbol's bar of the step) instead of onBar. */
  readonly afterAllBars?: boolean;
}

/**
 * A strategy that runs `actions[i]` on the i-th base bar of its first symbol (every symbol's bars are
 * still routed; actions may trade any symbol) and records fills and order updates.
 */
export function scripted(actions: Readonly<Record<number, Action>>, hooks: ScriptHooks = {}): { strategy: StrategyDefinition; rec: Recording } {
  const rec: Recording = { fills: [], updates: [] };
  const strategy = defineStrategy({
    id: 'scripted',
    name: 'Scripted orders',
    description: 'submits the orders a test gives it on the bars it names',
    params: {},
    create: () => ({
      onStart(ctx) {
        hooks.onStart?.(ctx);
      },
      onBar(bar, ctx) {
        if (hooks.afterAllBars === true || bar.symbol !== ctx.symbols[0] || bar.timeframe !== ctx.baseTimeframe) return;
        const i = ctx.history(bar.symbol).length - 1;
        actions[i]?.(ctx, bar);
      },
      ...(hooks.afterAllBars === true
        ? {
            onBarsClosed(_time: number, ctx: StrategyContext) {
              const h = ctx.history(ctx.symbols[0] ?? '');
              actions[h.length - 1]?.(ctx, h.bar(0));
            },
          }
        : {}),
      onFill(fill, ctx) {
        rec.fills.push(fill);
        hooks.onFill?.(fill, ctx);
      },
      onOrderUpdate(o) {
        rec.updates.push({ id: o.id, status: o.status, ts: o.updatedAt, filledQuantity: o.filledQuantity });
      },
    }),
  });
  return { strategy, rec };
}

export interface ScriptRun extends Recording {
  readonly result: BacktestResult;
  /** The order with this id (ids are given 1, 2, 3, ... in creation order). */
  order(id: number): Order;
  /** Fills of one order, in time order. */
  fillsOf(id: number): Fill[];
  /** Statuses one order went through, in order. */
  statusesOf(id: number): OrderStatus[];
}

/** Costs and size as spec texts, parsed here as the CLI parses its flags (engine/specs.ts). */
export type RunOptions = Omit<Partial<BacktestInput>, 'series' | 'strategy' | 'size' | 'commission' | 'slippage'> & TradingSpecTexts;

/** Runs a scripted strategy over rows (one symbol 'AAA', daily from T0) or over given series. */
export function runScript(
  data: readonly Row[] | readonly BarSeries[],
  actions: Readonly<Record<number, Action>>,
  options: RunOptions = {},
  hooks: ScriptHooks = {},
): ScriptRun {
  const list = isSeriesList(data) ? data : [series(data)];
  const { strategy, rec } = scripted(actions, hooks);
  // Scripted signals trade 100 shares unless a test asks otherwise: the hand-checked fills here are per 100 shares,
  // not per the backtest default (the account split over the symbols).
  const { size = '100', commission, slippage, ...rest } = options;
  const result = runBacktest({ cash: 1_000_000, ...rest, ...parseTradingSpecs({ size, commission, slippage }), series: list, strategy });
  const orders = result.orders ?? [];
  return {
    result,
    fills: rec.fills,
    updates: rec.updates,
    order(id) {
      const o = orders.find((x) => x.id === id);
      if (!o) throw new Error(`no order #${id} (have ${orders.map((x) => x.id).join(', ')})`);
      return o;
    },
    fillsOf: (id) => rec.fills.filter((f) => f.orderId === id),
    statusesOf: (id) => rec.updates.filter((u) => u.id === id).map((u) => u.status),
  };
}

function isSeriesList(data: readonly Row[] | readonly BarSeries[]): data is readonly BarSeries[] {
  const first = data[0];
  return first !== undefined && !Array.isArray(first);
}

export interface FillSpec {
  readonly symbol?: string;
  /** Commission in currency units (converted to pu exactly). */
  readonly commission?: number;
  readonly slippage?: number;
  readonly ts?: number;
  readonly orderId?: number;
}

/** A fill as a venue would report it, with exact pu fields derived from decimal prices. */
export function makeFill(side: Side, quantity: number, price: number, o: FillSpec = {}): Fill {
  return {
    orderId: o.orderId ?? 1,
    clientOrderId: `test-${o.orderId ?? 1}`,
    symbol: o.symbol ?? 'AAA',
    side,
    quantity,
    price,
    pricePu: toPu(price),
    commissionPu: toPu(o.commission ?? 0),
    slippagePu: toPu(o.slippage ?? 0),
    ts: o.ts ?? T0,
    liquidity: 'taker',
    strategyId: null,
  };
}

export function instrument(symbol = 'AAA', priceDecimals = 2, timeZone = 'UTC'): Instrument {
  return { symbol, priceDecimals, lotSize: 1, currency: 'USD', timeZone };
}

export function bar(ts: number, row: Row, symbol = 'AAA', timeframe = '1d'): Bar {
  return { symbol, timeframe, ts, open: row[0], high: row[1], low: row[2], close: row[3], volume: row[4] ?? 1_000_000 };
}

export interface VenueRig {
  readonly bus: MessageBus<KernelEvents>;
  readonly clock: SimulatedClock;
  readonly oms: OrderManager;
  readonly exchange: SimulatedExchange;
  readonly fills: Fill[];
  readonly updates: OrderUpdate[];
}

/** A real OMS connected to a real simulated exchange on a real bus, with every fill and update recorded. */
export function venueRig(config: Partial<ExchangeConfig> = {}, instruments: readonly Instrument[] = [instrument()]): VenueRig {
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0);
  const oms = new OrderManager(bus, clock, 'rig');
  const exchange = new SimulatedExchange(
    {
      commission: parseCommission('none'),
      slippage: parseSlippage('none'),
      fillOn: 'open',
      volumeLimitPct: 0,
      ocoBothFill: 'stop-loss',
      ...config,
    },
    oms,
    (s) => {
      const i = instruments.find((x) => x.symbol === s);
      if (!i) throw new Error(`unknown test symbol ${s}`);
      return i;
    },
    () => clock.now(),
  );
  oms.connect(exchange);
  const fills: Fill[] = [];
  const updates: OrderUpdate[] = [];
  bus.subscribe('orderFilled', (f) => fills.push(f));
  bus.subscribe('orderUpdated', (o) => updates.push({ id: o.id, status: o.status, ts: o.updatedAt, filledQuantity: o.filledQuantity }));
  return { bus, clock, oms, exchange, fills, updates };
}

// What a person (or the API) can do to a running session. Each action is recorded with the step after which it
// was applied, so recovery replays it at the same point and re-derives the same orders (docs/decisions/0005).

import { Pi5Error } from '../../core/errors.js';
import type { BracketRequest, Order, OrderChanges, OrderRequest, Quote, Trade } from '../../model/types.js';
import type { Reconciliation } from '../../execution/reconcile/reconcile.js';
import type { BrokerState } from '../../execution/venues/health/brokerHealth.js';
import { applyVenueReport, type VenueReport } from '../../execution/venueReports.js';
import { parseAllocationConfig, type AllocationConfigInput } from '../../risk/allocation/index.js';
import type { RiskConfigInput } from '../../risk/config.js';
import { DEFAULT_LIMITS } from '../../risk/limits.js';
import type { StrategyDefinition } from '../../strategy/api.js';
import { type ParamSchema, type RawParams } from '../../strategy/params.js';
import { resolveDefinitionParams } from '../../strategy/definitionParams.js';
import type { Kernel } from '../kernel.js';
import type { ModifyResult } from '../orderGateway.js';
import { parseRiskSpec } from '../riskSpec.js';
import { parseSize } from '../specs.js';

/** One strategy instance of a session: which strategy, its parameters, its symbols and its sizing. */
export interface StrategyInstanceConfig {
  /** Instance id, unique in the session (orders carry it). */
  readonly id: string;
  /** Built-in strategy id (or a strategy the session was given at start). */
  readonly strategy: string;
  readonly params: RawParams;
  readonly symbols: readonly string[];
  /** Size spec (e.g. '100', '25%', '$5000'); default the session's. */
  readonly size?: string;
}

export type SessionAction =
  | { readonly kind: 'startStrategy'; readonly instance: StrategyInstanceConfig; readonly by: string }
  | { readonly kind: 'stopStrategy'; readonly id: string; readonly by: string }
  | { readonly kind: 'submitOrder'; readonly request: OrderRequest; readonly by: string }
  /** An entry with a take-profit and/or stop-loss exit that wait for its fill and cancel each other. */
  | { readonly kind: 'submitBracket'; readonly request: BracketRequest; readonly by: string }
  | { readonly kind: 'cancelOrder'; readonly orderId: number; readonly by: string }
  | { readonly kind: 'modifyOrder'; readonly orderId: number; readonly changes: OrderChanges; readonly by: string }
  | { readonly kind: 'cancelAll'; readonly symbol?: string; readonly by: string }
  | { readonly kind: 'tripKillSwitch'; readonly reason: string; readonly by: string }
  | { readonly kind: 'resetKillSwitch'; readonly reason: string; readonly by: string }
  /** Market orders moving each named symbol to `weight` × equity at the last close (whole lots, toward zero). */
  | { readonly kind: 'rebalance'; readonly weights: Readonly<Record<string, number>>; readonly by: string }
  /** New capital allocation across strategies (null: none), effective now with a rebalance. */
  | { readonly kind: 'setAllocation'; readonly allocation: AllocationConfigInput | null; readonly by: string }
  /** New risk limits (a whole RiskConfig, as in docs/risk.md); kill switch and counters are kept. */
  | { readonly kind: 'setRiskConfig'; readonly risk: RiskConfigInput; readonly by: string }
  /**
   * What a broker said about an order: recorded before it is applied, so recovery replays it at the same point.
   * `venue` names the broker of a session with standbys (absent: the session's primary broker).
   */
  | { readonly kind: 'venueReport'; readonly report: VenueReport; readonly venue?: string; readonly by: string }
  /** A reconciliation with a broker and its corrections: recorded for the audit trail; replaying it changes nothing. */
  | { readonly kind: 'reconciled'; readonly reconciliation: Reconciliation; readonly trigger: string; readonly venue?: string; readonly by: string }
  /**
   * The market data of the next step is older than session.live.maxDataAgeMs (a reason), or fresh again (null):
   * strategies place no new orders while it is stale. Observed on the wall clock, so recorded and replayed.
   */
  | { readonly kind: 'dataStale'; readonly reason: string | null; readonly by: string }
  /**
   * The live feed's quotes and trades handed to the strategies before the next step (liveStepSource.takeTicks):
   * they arrive on the wall clock, so they are journaled with the step and replayed at the same point by recovery.
   * `trades` is absent when there were none (and in journals written before strategies got trades).
   */
  | { readonly kind: 'quotes'; readonly quotes: readonly Quote[]; readonly trades?: readonly Trade[]; readonly by: string }
  /**
   * The brokers' health as observed when it changed where new orders go (failover, decision 0011): recorded, so
   * recovery routes every re-derived order to the broker it went to.
   */
  | { readonly kind: 'brokerStates'; readonly states: Readonly<Record<string, BrokerState>>; readonly reasons: string; readonly by: string };

export type StrategyResolver = (ref: string) => StrategyDefinition<ParamSchema> | undefined;

export interface ActionContext {
  readonly kernel: Kernel;
  readonly resolveStrategy: StrategyResolver;
  /** Symbols the session's feed carries. */
  readonly symbols: readonly string[];
  /** The order the last orderUpdated event carried (a manual order refused by risk is found through it). */
  readonly lastOrderUpdate: () => Order | null;
}

export type ActionOutcome =
  | { readonly kind: 'order'; readonly order: Order }
  | { readonly kind: 'orders'; readonly orders: readonly Order[] }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'changed'; readonly changed: boolean }
  /** A modify's result: done, or the risk denial that refused it as a value (no message to match). */
  | { readonly kind: 'modify'; readonly result: ModifyResult };

function unknownSymbols(ctx: ActionContext, symbols: readonly string[]): string[] {
  return symbols.filter((s) => !ctx.symbols.includes(s));
}

/** Checks an action before it is applied or recorded: a refused action leaves no trace. */
export function checkAction(ctx: ActionContext, a: SessionAction): void {
  if (a.kind === 'startStrategy') {
    const def = ctx.resolveStrategy(a.instance.strategy);
    if (!def) throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `no strategy ${JSON.stringify(a.instance.strategy)}`, { strategy: a.instance.strategy });
    if (a.instance.symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `strategy ${a.instance.id}: no symbols`);
    const missing = unknownSymbols(ctx, a.instance.symbols);
    if (missing.length > 0) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `strategy ${a.instance.id}: symbols ${missing.join(', ')} are not in this session's feed (${ctx.symbols.join(', ')})`);
    }
    if (ctx.kernel.hosts.some((h) => h.strategyId === a.instance.id)) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `a strategy with id ${JSON.stringify(a.instance.id)} is already running`);
    }
    resolveDefinitionParams(def, a.instance.params);
    if (a.instance.size !== undefined) parseSize(a.instance.size);
  } else if (a.kind === 'submitOrder' || a.kind === 'submitBracket') {
    const symbol = a.kind === 'submitOrder' ? a.request.symbol : a.request.entry.symbol;
    if (unknownSymbols(ctx, [symbol]).length > 0) {
      throw new Pi5Error('PI5_ERR_BAD_ORDER', `symbol ${symbol} is not in this session's feed (${ctx.symbols.join(', ')})`, { field: 'symbol' });
    }
  } else if (a.kind === 'rebalance') {
    const symbols = Object.keys(a.weights);
    const missing = unknownSymbols(ctx, symbols);
    if (missing.length > 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `rebalance: symbols ${missing.join(', ')} are not in this session's feed`);
    for (const s of symbols) {
      const w = a.weights[s] as number;
      if (!Number.isFinite(w)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `rebalance: weight of ${s} is not a number`);
      if (!(ctx.kernel.market.lastClose(s) > 0)) throw new Pi5Error('PI5_ERR_CONFLICT', `rebalance: ${s} has no price yet (wait for the first bar)`);
    }
  } else if (a.kind === 'setAllocation') {
    if (a.allocation !== null) parseAllocationConfig(a.allocation);
  } else if (a.kind === 'setRiskConfig') {
    parseRiskSpec(a.risk);
  } else if (a.kind === 'stopStrategy') {
    if (!ctx.kernel.hosts.some((h) => h.strategyId === a.id)) throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `no running strategy ${JSON.stringify(a.id)}`);
  }
}

export function applyAction(ctx: ActionContext, a: SessionAction): ActionOutcome {
  const k = ctx.kernel;
  switch (a.kind) {
    case 'startStrategy': {
      const def = ctx.resolveStrategy(a.instance.strategy) as StrategyDefinition<ParamSchema>;
      const params = resolveDefinitionParams(def, a.instance.params);
      const sizer = a.instance.size === undefined ? undefined : parseSize(a.instance.size).sizer;
      k.addStrategy(a.instance.id, def.create(params), a.instance.symbols, sizer).start();
      return { kind: 'changed', changed: true };
    }
    case 'stopStrategy':
      return { kind: 'changed', changed: k.removeStrategy(a.id) };
    case 'submitOrder':
      return { kind: 'order', order: submitManual(ctx, a.request) };
    case 'submitBracket':
      return { kind: 'orders', orders: submitManualBracket(ctx, a.request) };
    case 'rebalance':
      return { kind: 'orders', orders: rebalance(ctx, a.weights) };
    case 'cancelOrder':
      return { kind: 'changed', changed: k.oms.cancel(a.orderId) };
    case 'modifyOrder':
      return { kind: 'modify', result: k.gateway.modifyOrDeny(a.orderId, a.changes, null) };
    case 'cancelAll':
      return { kind: 'count', count: k.oms.cancelAll(a.symbol) };
    case 'tripKillSwitch':
      return { kind: 'changed', changed: k.tripKillSwitch(a.reason, a.by) };
    case 'resetKillSwitch':
      return { kind: 'changed', changed: k.resetKillSwitch(a.by, a.reason) };
    case 'setAllocation':
      k.setAllocation(a.allocation === null ? null : parseAllocationConfig(a.allocation));
      return { kind: 'changed', changed: true };
    case 'setRiskConfig':
      // The whole config replaces the old one: its global layer sits on the defaults, not on the old limits.
      k.reconfigureRisk(parseRiskSpec(a.risk), DEFAULT_LIMITS);
      return { kind: 'changed', changed: true };
    case 'venueReport':
      return { kind: 'changed', changed: applyVenueReport(k.oms, (id) => k.oms.byClientId(id), a.report) };
    case 'reconciled':
      return { kind: 'changed', changed: a.reconciliation.corrections.length > 0 };
    case 'dataStale':
      k.risk.setStaleData(a.reason);
      return { kind: 'changed', changed: true };
    case 'quotes':
      applyTicks(k, a.quotes, a.trades ?? []);
      return { kind: 'changed', changed: a.quotes.length + (a.trades?.length ?? 0) > 0 };
    case 'brokerStates':
      // The session's brokers route by it (sessionBrokers.ts); the kernel has nothing to change.
      return { kind: 'changed', changed: true };
  }
}

/**
 * Quotes and trades (each list in arrival order) to the kernel, merged by time so a strategy sees the tape as it
 * went; at equal times the quote first.
 */
function applyTicks(k: Kernel, quotes: readonly Quote[], trades: readonly Trade[]): void {
  let i = 0;
  for (const t of trades) {
    for (; i < quotes.length && (quotes[i] as Quote).ts <= t.ts; i++) k.onQuote(quotes[i] as Quote);
    k.onTrade(t);
  }
  for (; i < quotes.length; i++) k.onQuote(quotes[i] as Quote);
}

function submitManual(ctx: ActionContext, request: OrderRequest): Order {
  const order = ctx.kernel.gateway.submit(request, null) ?? ctx.lastOrderUpdate();
  if (!order) throw new Pi5Error('PI5_ERR_INTERNAL', 'an order was refused but no update was seen');
  return order;
}

/** The entry and its exits; a refused entry (its exits rejected with it) comes back alone, status rejected. */
function submitManualBracket(ctx: ActionContext, request: BracketRequest): readonly Order[] {
  const orders = ctx.kernel.gateway.submitBracket(request, null);
  if (orders.length > 0) return orders;
  // The refused entry is the newest entry order: the gateway created it (and its exits) just now.
  const entry = ctx.kernel.oms.all().filter((o) => o.role === 'entry').at(-1);
  if (!entry) throw new Pi5Error('PI5_ERR_INTERNAL', 'a bracket was refused but its entry was not found');
  return [entry];
}

function rebalance(ctx: ActionContext, weights: Readonly<Record<string, number>>): Order[] {
  const k = ctx.kernel;
  const equity = k.portfolio.equity();
  const orders: Order[] = [];
  for (const symbol of Object.keys(weights).sort()) {
    const lot = k.market.instrument(symbol).lotSize;
    const target = Math.trunc(((weights[symbol] as number) * equity) / k.market.lastClose(symbol) / lot) * lot;
    const diff = target - k.portfolio.quantity(symbol);
    if (diff === 0) continue;
    orders.push(submitManual(ctx, { symbol, side: diff > 0 ? 'buy' : 'sell', quantity: Math.abs(diff), tag: 'rebalance' }));
  }
  return orders;
}

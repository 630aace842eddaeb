// Momentum rotation: at each rebalance, ranks every symbol by its lookback-bar return and holds the strongest
// topN in equal dollar slices, selling the ones that dropped out before buying the new ones.

import { defineStrategy, type StrategyContext } from '../api.js';

interface Ranked {
  readonly symbol: string;
  readonly momentum: number;
  /** close > close[lookback], compared exactly rather than through the float ratio. */
  readonly rising: boolean;
}

/** Symbols with lookback + 1 closes, best momentum first; ties keep the order of ctx.symbols. */
function rank(ctx: StrategyContext, lookback: number): Ranked[] {
  const out: Ranked[] = [];
  for (const symbol of ctx.symbols) {
    const h = ctx.history(symbol);
    if (h.length <= lookback) continue;
    const now = h.close(0);
    const then = h.close(lookback);
    out.push({ symbol, momentum: now / then - 1, rising: now > then });
  }
  return out.sort((a, b) => b.momentum - a.momentum);
}

function utcMonth(time: number): number {
  const d = new Date(time);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export const momentumRotation = defineStrategy({
  id: 'momentum-rotation',
  name: 'Momentum rotation',
  description:
    'Multi-symbol. At each rebalance, ranks the symbols by their lookback-bar return close/close[lookback] − 1 and targets ' +
    'the best topN (only those with a positive return when absoluteMomentum). Holdings that left the target are sold; ' +
    'new ones are bought for equity × investedFraction / topN each (at most the cash left), priced at the last close. ' +
    'Kept holdings are not resized. When sells are still working (the default next-open fills), the buys wait for the ' +
    'next time step, so the freed cash is there. rebalance=bars: at the first time step where a symbol can be ranked, ' +
    'then every rebalanceBars time steps; monthly: on the first time step of each UTC calendar month.',
  params: {
    lookback: { type: 'int', default: 63, min: 1, max: 10_000, description: 'momentum window (bars)' },
    topN: { type: 'int', default: 2, min: 1, max: 1_000, description: 'number of symbols held' },
    rebalance: { type: 'enum', default: 'bars', options: ['bars', 'monthly'], description: 'rebalance every rebalanceBars or monthly' },
    rebalanceBars: { type: 'int', default: 21, min: 1, max: 10_000, description: 'time steps between rebalances (rebalance=bars)' },
    absoluteMomentum: {
      type: 'boolean',
      default: true,
      description: 'hold only symbols whose lookback return is positive (otherwise stay in cash)',
    },
    investedFraction: {
      type: 'number',
      default: 0.95,
      min: 0.01,
      max: 1,
      description: 'share of equity invested across topN slices (the rest absorbs gaps to the next open)',
    },
  },
  keepsBars: false,
  create(p) {
    /** Steps since the first rankable one (rebalance=bars); −1 before it. */
    let step = -1;
    let month = NaN;
    /** Target symbols still to be bought once the sells have filled; null when nothing waits. */
    let pending: readonly string[] | null = null;

    const due = (time: number, ctx: StrategyContext): boolean => {
      if (p.rebalance === 'monthly') {
        const m = utcMonth(time);
        const isNew = !Number.isNaN(month) && m !== month;
        month = m;
        return isNew;
      }
      if (step < 0) {
        if (!ctx.symbols.some((s) => ctx.history(s).length > p.lookback)) return false;
        step = 0;
        return true;
      }
      step++;
      return step % p.rebalanceBars === 0;
    };

    const buyPending = (ctx: StrategyContext, targets: readonly string[]): void => {
      pending = null;
      const entries = targets.filter((s) => ctx.position(s) === 0);
      const slice = (ctx.equity() * p.investedFraction) / p.topN;
      let cash = ctx.cash();
      entries.forEach((symbol, i) => {
        const price = ctx.history(symbol).close(0);
        const budget = Math.min(slice, (cash * p.investedFraction) / (entries.length - i));
        const lot = ctx.instrument(symbol).lotSize;
        const qty = Math.floor(budget / price / lot) * lot;
        if (qty > 0 && ctx.buy(symbol, qty, { tag: 'rotate-in' }) !== null) cash -= qty * price;
      });
    };

    const rebalance = (ctx: StrategyContext): void => {
      const ranked = rank(ctx, p.lookback);
      const targets = ranked
        .filter((r) => r.rising || !p.absoluteMomentum)
        .slice(0, p.topN)
        .map((r) => r.symbol);
      for (const s of ctx.symbols) {
        if (ctx.position(s) !== 0 && !targets.includes(s)) ctx.close(s, 'rotate-out');
      }
      // Buying power counts a position until its sell fills, so buys wait while sells are working.
      if (ctx.openOrders().length > 0) pending = targets;
      else buyPending(ctx, targets);
    };

    return {
      onStart(ctx) {
        if (ctx.symbols.length < 2) ctx.log.warn('momentum-rotation with one symbol only times that symbol', { symbols: ctx.symbols });
        if (p.topN >= ctx.symbols.length && p.absoluteMomentum === false) {
          ctx.log.warn('topN covers every symbol: nothing rotates', { topN: p.topN, symbols: ctx.symbols.length });
        }
      },
      onBarsClosed(time, ctx) {
        if (due(time, ctx)) rebalance(ctx);
        else if (pending !== null && ctx.openOrders().length === 0) buyPending(ctx, pending);
      },
    };
  },
});

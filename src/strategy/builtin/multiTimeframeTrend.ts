// Multi-timeframe trend: reads the trend on a coarser timeframe built from the base bars and times entries
// with a fast/slow EMA crossover on the base bars, trading only in the higher trend's direction.

import { Pi5Error } from '../../core/errors.js';
import { parseTimeframe } from '../../model/timeframe.js';
import type { Bar } from '../../model/types.js';
import { defineStrategy, type StrategyContext } from '../api.js';
import { crossedAbove, crossedBelow } from '../../indicators/cross.js';
import { EMA } from '../../indicators/ema.js';

const ID = 'multi-timeframe-trend';

/** 1 up, −1 down, 0 neither (close and EMA slope disagree, or not enough higher bars yet). */
type Trend = 1 | 0 | -1;

interface SymbolState {
  readonly trendEma: EMA;
  prevTrendEma: number;
  trend: Trend;
  readonly fast: EMA;
  readonly slow: EMA;
  prevFast: number;
  prevSlow: number;
}

function badParam(name: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_PARAM', `strategy ${ID}: parameter ${name}: ${message}`, { strategy: ID, param: name });
}

export const multiTimeframeTrend = defineStrategy({
  id: ID,
  name: 'Multi-timeframe trend',
  description:
    'The trend is read on higherTimeframe bars aggregated from the base bars: up when the higher close is above ' +
    'EMA(trendPeriod) of higher closes and that EMA rose since the previous higher bar, down when both point the other ' +
    'way, neither otherwise. Buys when the trend is up and the base fast EMA crosses above the slow EMA; closes the long ' +
    'at the first base close where the trend is down or the base EMAs cross down. With allowShort, shorts mirror this ' +
    '(a cross down in a downtrend reverses a long). A higher bar counts from the first base close after it completes; ' +
    'decisions are made on base closes and, with the default fill rules, fill at the next bar open.',
  params: {
    higherTimeframe: {
      type: 'string',
      default: '1w',
      description: 'timeframe of the trend filter; must be coarser than the base bars (e.g. 1w on daily, 1h on 5m)',
    },
    trendPeriod: { type: 'int', default: 10, min: 1, max: 10_000, description: 'EMA period of the higher-timeframe closes' },
    fast: { type: 'int', default: 10, min: 1, max: 10_000, description: 'fast EMA period on the base bars' },
    slow: { type: 'int', default: 30, min: 2, max: 10_000, description: 'slow EMA period on the base bars' },
    allowShort: { type: 'boolean', default: false, description: 'also sell short in a higher downtrend' },
  },
  constraints: [{ params: ['fast', 'slow'], rule: 'fast < slow', holds: (p) => p.fast < p.slow }],
  keepsBars: false,
  create(p) {
    const higher = parseTimeframe(p.higherTimeframe);
    if (higher === null) {
      throw badParam('higherTimeframe', `${JSON.stringify(p.higherTimeframe)} is not a timeframe (e.g. 1h, 1d, 1w, 1M)`);
    }
    const states = new Map<string, SymbolState>();

    const onHigherBar = (bar: Bar, st: SymbolState): void => {
      const ema = st.trendEma.update(bar.close);
      const prev = st.prevTrendEma;
      st.prevTrendEma = ema;
      st.trend = bar.close > ema && ema > prev ? 1 : bar.close < ema && ema < prev ? -1 : 0;
    };

    // Every decision is taken here, once per base close: the orders of the previous close have filled by now,
    // so a trend exit and a cross exit can never both be sent for one position.
    const onBaseBar = (bar: Bar, st: SymbolState, ctx: StrategyContext): void => {
      const fast = st.fast.update(bar.close);
      const slow = st.slow.update(bar.close);
      const up = crossedAbove(st.prevFast, st.prevSlow, fast, slow);
      const down = crossedBelow(st.prevFast, st.prevSlow, fast, slow);
      st.prevFast = fast;
      st.prevSlow = slow;
      const position = ctx.position(bar.symbol);
      const symbol = bar.symbol;
      if (up && st.trend === 1) ctx.signal(symbol, 'BUY');
      else if (down && st.trend === -1 && p.allowShort) ctx.signal(symbol, 'SELL');
      else if (position > 0 && (down || st.trend === -1)) ctx.signal(symbol, 'CLOSE_LONG', { tag: down ? 'cross-down' : 'trend-down' });
      else if (position < 0 && (up || st.trend === 1)) ctx.signal(symbol, 'CLOSE_SHORT', { tag: up ? 'cross-up' : 'trend-up' });
    };

    return {
      onStart(ctx) {
        const base = parseTimeframe(ctx.baseTimeframe);
        if (base !== null && higher.ms <= base.ms) {
          throw badParam('higherTimeframe', `${p.higherTimeframe} is not coarser than the run's ${ctx.baseTimeframe} bars`);
        }
        for (const s of ctx.symbols) {
          ctx.subscribe(s, p.higherTimeframe);
          states.set(s, {
            trendEma: new EMA(p.trendPeriod),
            prevTrendEma: NaN,
            trend: 0,
            fast: new EMA(p.fast),
            slow: new EMA(p.slow),
            prevFast: NaN,
            prevSlow: NaN,
          });
        }
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        if (bar.timeframe === p.higherTimeframe) onHigherBar(bar, st);
        else if (bar.timeframe === ctx.baseTimeframe) onBaseBar(bar, st, ctx);
      },
    };
  },
});

// Opening-range breakout: trades the first close outside the high/low of the session's opening minutes, at
// most once per symbol and day, with a bracket stop inside the range and a forced exit before the close.

import { localDayKey, localMinuteOfDay } from '../../core/tz.js';
import { puToNumber, toPu } from '../../model/money.js';
import { parseTimeframe } from '../../model/timeframe.js';
import type { Bar } from '../../model/types.js';
import { EXIT_BEFORE_CLOSE_PARAM, flatten, minuteIntoSession, SESSION_CLOCK_PARAMS, sessionBounds, type SessionParams } from '../session.js';
import { defineStrategy, type SignalOptions, type StrategyContext } from '../api.js';

const ID = 'opening-range-breakout';

interface SymbolState {
  /** Exchange-local day of the range below; NaN before the first bar. */
  day: number;
  high: number;
  low: number;
  traded: boolean;
}

/** Session times as exchange-local minutes since midnight. */
interface SessionWindow {
  readonly start: number;
  readonly rangeEnd: number;
  /** sessionEnd − exitBeforeCloseMinutes: positions are flat by here. */
  readonly exit: number;
}

/** Session bounds plus the end of the opening range, which must come before the exit time. */
function sessionWindow(p: SessionParams & { readonly rangeMinutes: number }): SessionWindow {
  const bounds = sessionBounds(ID, p);
  return { start: bounds.start, rangeEnd: minuteIntoSession(ID, bounds, 'rangeMinutes', p.rangeMinutes, 'the opening range'), exit: bounds.exit };
}

/** A price on the instrument's tick grid (ranges and their multiples are not, in general). */
function onTick(ctx: StrategyContext, symbol: string, pu: number): number {
  const tickPu = 10 ** (8 - ctx.instrument(symbol).priceDecimals);
  return puToNumber(Math.round(pu / tickPu) * tickPu);
}

export const openingRangeBreakout = defineStrategy({
  id: ID,
  name: 'Opening-range breakout',
  description:
    'Intraday. The opening range is the high and low of the bars that open in the first rangeMinutes after sessionStart ' +
    '(exchange-local time, DST-aware). After it, the first close above the range high buys (below the low sells short when ' +
    'allowShort), at most one trade per symbol and day, with a bracket stop at the other side of the range (or its midpoint) ' +
    'and an optional take-profit targetR range heights beyond the breakout level. Every position is closed and every ' +
    'working order canceled on the first bar that closes at or after sessionEnd − exitBeforeCloseMinutes; with the default ' +
    'next-open fills, keep that at least one bar before the close. Bars outside the session are ignored.',
  params: {
    ...SESSION_CLOCK_PARAMS,
    rangeMinutes: { type: 'int', default: 30, min: 1, max: 1439, description: 'length of the opening range (minutes)' },
    stopAt: {
      type: 'enum',
      default: 'range',
      options: ['range', 'midpoint'],
      description: 'protective stop at the other side of the range or at its midpoint',
    },
    targetR: {
      type: 'number',
      default: 0,
      min: 0,
      max: 100,
      description: 'take-profit this many range heights beyond the breakout level (0 = none)',
    },
    exitBeforeCloseMinutes: EXIT_BEFORE_CLOSE_PARAM,
    allowShort: { type: 'boolean', default: false, description: 'also sell short on a close below the range low' },
  },
  keepsBars: false,
  create(p) {
    const win = sessionWindow(p);
    const states = new Map<string, SymbolState>();
    let barMinutes = 0;

    const breakout = (bar: Bar, st: SymbolState, ctx: StrategyContext): void => {
      const long = bar.close > st.high;
      if (!long && !(p.allowShort && bar.close < st.low)) return;
      const highPu = toPu(st.high);
      const lowPu = toPu(st.low);
      const heightPu = highPu - lowPu;
      const midPu = lowPu + heightPu / 2;
      const stopPu = p.stopAt === 'midpoint' ? midPu : long ? lowPu : highPu;
      const targetPu = long ? highPu + p.targetR * heightPu : lowPu - p.targetR * heightPu;
      const options: SignalOptions = {
        stopPrice: onTick(ctx, bar.symbol, stopPu),
        tag: long ? 'orb-long' : 'orb-short',
        ...(p.targetR > 0 && targetPu > 0 ? { takeProfitPrice: onTick(ctx, bar.symbol, targetPu) } : {}),
      };
      // A denied entry leaves the day open for a later breakout; a submitted one uses it up.
      if (ctx.signal(bar.symbol, long ? 'BUY' : 'SELL', options).length > 0) st.traded = true;
    };

    return {
      onStart(ctx) {
        const tf = parseTimeframe(ctx.baseTimeframe);
        barMinutes = tf === null ? 0 : tf.ms / 60_000;
        if (barMinutes >= 1440) ctx.log.warn('needs intraday bars; it will not trade', { timeframe: ctx.baseTimeframe });
        for (const s of ctx.symbols) states.set(s, { day: NaN, high: -Infinity, low: Infinity, traded: false });
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined || barMinutes >= 1440) return;
        const day = localDayKey(bar.ts, p.timeZone);
        if (day !== st.day) {
          // Only a fill that slipped past the last bar of a session can carry a position into a new day.
          flatten(ctx, bar.symbol, 'stale');
          st.day = day;
          st.high = -Infinity;
          st.low = Infinity;
          st.traded = false;
        }
        const minute = localMinuteOfDay(bar.ts, p.timeZone);
        // Decisions are made at the bar's close, so the exit rule looks at the close time.
        if (minute + barMinutes >= win.exit) {
          flatten(ctx, bar.symbol, 'session-exit');
        } else if (minute >= win.start && minute < win.rangeEnd) {
          if (bar.high > st.high) st.high = bar.high;
          if (bar.low < st.low) st.low = bar.low;
        } else if (minute >= win.rangeEnd && !st.traded && st.high >= st.low && ctx.position(bar.symbol) === 0) {
          breakout(bar, st, ctx);
        }
      },
    };
  },
});

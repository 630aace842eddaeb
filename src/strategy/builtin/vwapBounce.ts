// VWAP bounce: buys an intraday dip below the session VWAP's lower band once a bar closes back above the band,
// takes profit at the VWAP, and is flat before the session closes.

import { localDayKey, localMinuteOfDay } from '../../core/tz.js';
import { parseTimeframe } from '../../model/timeframe.js';
import type { Bar } from '../../model/types.js';
import { EXIT_BEFORE_CLOSE_PARAM, flatten, minuteIntoSession, SESSION_CLOCK_PARAMS, sessionBounds, type SessionParams } from '../session.js';
import { defineStrategy, type StrategyContext } from '../api.js';
import { VWAP } from '../../indicators/vwap.js';

const ID = 'vwap-bounce';

interface SymbolState {
  readonly vwap: VWAP;
  /** Exchange-local day of the current session; NaN before the first session bar. */
  day: number;
  /** A bar's low reached the lower band since the last entry (or session start). */
  dipped: boolean;
}

/** Session times as exchange-local minutes since midnight. */
interface SessionWindow {
  readonly start: number;
  readonly end: number;
  /** sessionStart + warmupMinutes: no signals from bars that close before it. */
  readonly entriesFrom: number;
  /** sessionEnd − exitBeforeCloseMinutes: positions are flat by here. */
  readonly exit: number;
}

/** Session bounds plus the end of the warm-up, which must come before the exit time. */
function sessionWindow(p: SessionParams & { readonly warmupMinutes: number }): SessionWindow {
  const bounds = sessionBounds(ID, p);
  return { ...bounds, entriesFrom: minuteIntoSession(ID, bounds, 'warmupMinutes', p.warmupMinutes, 'the warm-up') };
}

export const vwapBounce = defineStrategy({
  id: ID,
  name: 'VWAP bounce',
  description:
    'Intraday, long only. The VWAP restarts at each session start (exchange-local, DST-aware); bars outside the session are ' +
    'ignored. A bar whose low reaches the lower band VWAP × (1 − bandPct/100) arms a dip; the first bar (that one or a later ' +
    'one) closing above the band and below the VWAP buys, with a bracket stop stopPct below that close. The position is ' +
    'closed on the first close at or above the VWAP, and on the first bar that closes at or after sessionEnd − ' +
    'exitBeforeCloseMinutes. Bars closing within warmupMinutes of the session start neither arm dips nor enter. ' +
    'weighting=equal weights bars equally (for index data without volume).',
  params: {
    ...SESSION_CLOCK_PARAMS,
    bandPct: { type: 'number', default: 0.5, min: 0.01, max: 50, description: 'lower band distance below the VWAP (percent)' },
    stopPct: { type: 'number', default: 1, min: 0, max: 50, description: 'stop-loss below the signal close (percent; 0 = none)' },
    warmupMinutes: { type: 'int', default: 15, min: 0, max: 1439, description: 'no signals in the first minutes of the session' },
    exitBeforeCloseMinutes: EXIT_BEFORE_CLOSE_PARAM,
    weighting: {
      type: 'enum',
      default: 'volume',
      options: ['volume', 'equal'],
      description: 'VWAP weights: bar volume, or equal weights for data without volume',
    },
  },
  keepsBars: false,
  create(p) {
    const win = sessionWindow(p);
    const states = new Map<string, SymbolState>();
    let barMinutes = 0;
    let warnedNoVolume = false;

    const enterOrExit = (bar: Bar, st: SymbolState, ctx: StrategyContext): void => {
      const vwap = st.vwap.value;
      const position = ctx.position(bar.symbol);
      if (position > 0) {
        if (bar.close >= vwap) flatten(ctx, bar.symbol, 'vwap-target');
        return;
      }
      const lowerBand = vwap * (1 - p.bandPct / 100);
      if (bar.low <= lowerBand) st.dipped = true;
      if (!st.dipped) return;
      if (bar.close >= vwap) {
        // Back at the VWAP already: the target is gone, so the dip is spent.
        st.dipped = false;
      } else if (bar.close > lowerBand && position === 0 && ctx.openOrders(bar.symbol).length === 0) {
        const stop = p.stopPct > 0 ? { stopPrice: bar.close * (1 - p.stopPct / 100) } : {};
        if (ctx.signal(bar.symbol, 'BUY', { ...stop, tag: 'vwap-bounce' }).length > 0) st.dipped = false;
      }
    };

    return {
      onStart(ctx) {
        const tf = parseTimeframe(ctx.baseTimeframe);
        barMinutes = tf === null ? 0 : tf.ms / 60_000;
        if (barMinutes >= 1440) ctx.log.warn('needs intraday bars; it will not trade', { timeframe: ctx.baseTimeframe });
        for (const s of ctx.symbols) states.set(s, { vwap: new VWAP(), day: NaN, dipped: false });
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined || barMinutes >= 1440) return;
        const minute = localMinuteOfDay(bar.ts, p.timeZone);
        const closeMinute = minute + barMinutes;
        if (closeMinute >= win.exit) flatten(ctx, bar.symbol, 'session-exit');
        if (minute < win.start || minute >= win.end) return;
        const day = localDayKey(bar.ts, p.timeZone);
        if (day !== st.day) {
          // Only a fill that slipped past the last bar of a session can carry a position into a new one.
          flatten(ctx, bar.symbol, 'stale');
          st.day = day;
          st.vwap.reset();
          st.dipped = false;
        }
        st.vwap.updateBar(bar.high, bar.low, bar.close, p.weighting === 'equal' ? 1 : bar.volume);
        if (closeMinute >= win.exit || closeMinute < win.entriesFrom) return;
        if (!st.vwap.isReady) {
          if (!warnedNoVolume) ctx.log.warn('no volume in the session so far, so no VWAP: use weighting=equal', { symbol: bar.symbol });
          warnedNoVolume = true;
          return;
        }
        enterOrExit(bar, st, ctx);
      },
    };
  },
});

// My breakout: the example user strategy of docs/strategies.md. Buys a close above the highest high of the previous
// `lookback` bars while the weekly trend is up, and sells a close below the lowest low of the previous `exitLookback` bars.
//
// In your own project, import from the package instead: import { defineStrategy, ... } from 'pi5-trading/strategy';
import { defineStrategy, paramError, RollingMax, RollingMin, SMA, type BarHistory, type SignalOptions } from '../../src/strategy/public.js';

const TREND_TIMEFRAME = '1w';

interface SymbolState {
  highs: RollingMax;
  lows: RollingMin;
  /** SMA of weekly closes; null when the trend filter is off. */
  weekly: SMA | null;
}

/** The last complete week closed above the average of the weekly closes (false until both exist). */
function weeklyUptrend(weeks: BarHistory, average: SMA): boolean {
  return weeks.length > 0 && weeks.close(0) > average.value;
}

export default defineStrategy({
  id: 'my-breakout',
  name: 'My breakout',
  description:
    'Buys a close above the highest high of the previous `lookback` bars while the last weekly close is above its ' +
    '`trendWeeks`-week average, and sells a close below the lowest low of the previous `exitLookback` bars.',
  params: {
    lookback: { type: 'int', default: 20, min: 1, max: 1_000, description: 'entry channel length (bars before the current one)' },
    exitLookback: { type: 'int', default: 10, min: 1, max: 1_000, description: 'exit channel length (bars before the current one)' },
    trendWeeks: {
      type: 'int',
      default: 10,
      min: 0,
      max: 200,
      description: 'buy only while the last weekly close is above the average of this many weekly closes (0 = off)',
    },
    stopPct: {
      type: 'number',
      default: 0,
      min: 0,
      max: 50,
      description: 'protective stop this many percent below the signal close, as a bracket stop order (0 = none)',
    },
  },
  create(p) {
    // Rules across parameters are checked here; the schema has already checked each value on its own.
    if (p.exitLookback > p.lookback) {
      throw paramError('my-breakout', 'exitLookback', `${p.exitLookback} is above lookback ${p.lookback}: the exit channel is the shorter one`);
    }
    // One state per symbol, so the same strategy trades a whole list of symbols.
    const states = new Map<string, SymbolState>();
    return {
      onStart(ctx) {
        for (const symbol of ctx.symbols) {
          states.set(symbol, {
            highs: new RollingMax(p.lookback),
            lows: new RollingMin(p.exitLookback),
            weekly: p.trendWeeks > 0 ? new SMA(p.trendWeeks) : null,
          });
          // Weekly bars are built from the base bars and arrive through onBar once each week is complete.
          if (p.trendWeeks > 0) ctx.subscribe(symbol, TREND_TIMEFRAME);
        }
      },

      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        if (bar.timeframe === TREND_TIMEFRAME) st.weekly?.update(bar.close);
        if (bar.timeframe !== ctx.baseTimeframe) return;

        // The channels still hold only the bars before this one: decide first, update after.
        const trendUp = st.weekly === null || weeklyUptrend(ctx.history(bar.symbol, TREND_TIMEFRAME), st.weekly);
        const position = ctx.position(bar.symbol);
        if (position <= 0 && trendUp && bar.close > st.highs.value) {
          // A bracket's stop stays working after a signal exit; clear old orders before a new entry.
          ctx.cancelAll(bar.symbol);
          const options: SignalOptions = p.stopPct > 0 ? { stopPrice: bar.close * (1 - p.stopPct / 100) } : {};
          ctx.signal(bar.symbol, 'BUY', options);
          ctx.log.info('breakout', { symbol: bar.symbol, close: bar.close, channelHigh: st.highs.value });
        } else if (position > 0 && bar.close < st.lows.value) {
          ctx.cancelAll(bar.symbol);
          ctx.signal(bar.symbol, 'CLOSE_LONG');
        }
        st.highs.update(bar.high);
        st.lows.update(bar.low);
      },
    };
  },
});

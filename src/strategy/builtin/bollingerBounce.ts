// Bollinger bounce: buys when the close comes back inside the lower band after a close below it and takes
// profit at the middle (or upper) band; shorts mirror it at the upper band when allowed.

import { defineStrategy, type SignalOptions, type StrategyContext } from '../api.js';
import { BollingerBands } from '../../indicators/bollinger.js';

interface SymbolState {
  bands: BollingerBands;
  prevClose: number;
  prevLower: number;
  prevUpper: number;
}

/** The stop is set from the deciding close, since the fill price (next open) is not known yet. */
function stopOptions(close: number, dir: 1 | -1, stopPct: number): SignalOptions {
  return stopPct > 0 ? { stopPrice: close * (1 - (dir * stopPct) / 100) } : {};
}

export const bollingerBounce = defineStrategy({
  id: 'bollinger-bounce',
  name: 'Bollinger band bounce',
  description:
    'Buys when the close crosses back above the lower Bollinger band after closing below it, and exits when the close ' +
    'reaches the middle band (or the upper band with exitAt=upper). With allowShort it mirrors this at the upper band. ' +
    'An optional stop-loss percentage (from the signal close) is attached as a bracket stop order. Decided on the bar close.',
  params: {
    period: { type: 'int', default: 20, min: 2, max: 10_000, description: 'band period (bars)' },
    k: { type: 'number', default: 2, min: 0.1, max: 10, description: 'band width in population standard deviations' },
    exitAt: {
      type: 'enum',
      default: 'middle',
      options: ['middle', 'upper'],
      description: 'band whose touch (by the close) exits a long; mirrored for shorts (middle or lower)',
    },
    stopPct: {
      type: 'number',
      default: 0,
      min: 0,
      max: 99,
      description: 'stop-loss distance in percent of the signal close, as a bracket stop order (0 = none)',
    },
    allowShort: { type: 'boolean', default: false, description: 'also sell short on a close back below the upper band' },
  },
  keepsBars: false,
  create(p) {
    const states = new Map<string, SymbolState>();
    const decide = (symbol: string, close: number, st: SymbolState, ctx: StrategyContext): void => {
      const b = st.bands;
      const pos = ctx.position(symbol);
      const longEntry = st.prevClose < st.prevLower && close > b.lower;
      const shortEntry = p.allowShort && st.prevClose > st.prevUpper && close < b.upper;
      const longTarget = p.exitAt === 'upper' ? b.upper : b.middle;
      const shortTarget = p.exitAt === 'upper' ? b.lower : b.middle;
      // Working orders belong to the position being left (a bracket stop): drop them before any change.
      if (longEntry && pos <= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'BUY', stopOptions(close, 1, p.stopPct));
      } else if (shortEntry && pos >= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'SELL', stopOptions(close, -1, p.stopPct));
      } else if (pos > 0 && close >= longTarget) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_LONG');
      } else if (pos < 0 && close <= shortTarget) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_SHORT');
      }
    };
    return {
      onStart(ctx) {
        for (const s of ctx.symbols) {
          states.set(s, { bands: new BollingerBands(p.period, p.k), prevClose: NaN, prevLower: NaN, prevUpper: NaN });
        }
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        st.bands.update(bar.close);
        if (st.bands.isReady) decide(bar.symbol, bar.close, st, ctx);
        st.prevClose = bar.close;
        st.prevLower = st.bands.lower;
        st.prevUpper = st.bands.upper;
      },
    };
  },
});

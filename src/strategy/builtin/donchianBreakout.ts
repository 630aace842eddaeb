// Donchian (turtle-style) breakout: enters on a close beyond the prior entryPeriod-bar extreme and exits on a
// close beyond the prior exitPeriod-bar extreme on the other side; shorts mirror longs when allowed.

import { defineStrategy, type SignalOptions, type StrategyContext } from '../api.js';
import { ATR } from '../../indicators/atr.js';
import { DonchianChannel } from '../../indicators/donchian.js';

interface SymbolState {
  entry: DonchianChannel;
  exit: DonchianChannel;
  atr: ATR;
}

export const donchianBreakout = defineStrategy({
  id: 'donchian-breakout',
  name: 'Donchian channel breakout',
  description:
    'Turtle-style breakout: buys when the close is above the highest high of the previous entryPeriod bars (the current ' +
    'bar excluded) and exits when the close is below the lowest low of the previous exitPeriod bars. With allowShort it ' +
    'mirrors this downwards (and reverses on an opposite breakout). An optional ATR stop (atrStop × ATR from the signal ' +
    'close) is attached as a bracket stop order. Decided on the bar close.',
  params: {
    entryPeriod: { type: 'int', default: 20, min: 1, max: 10_000, description: 'breakout channel length (bars before the current one)' },
    exitPeriod: { type: 'int', default: 10, min: 1, max: 10_000, description: 'exit channel length (bars before the current one)' },
    allowShort: { type: 'boolean', default: false, description: 'also sell short on a close below the entry channel' },
    atrPeriod: { type: 'int', default: 20, min: 1, max: 10_000, description: 'ATR period for the stop (bars)' },
    atrStop: {
      type: 'number',
      default: 0,
      min: 0,
      max: 100,
      description: 'protective stop at atrStop × ATR from the signal close, as a bracket stop order (0 = none)',
    },
  },
  keepsBars: false,
  create(p) {
    const states = new Map<string, SymbolState>();
    // A long stop at or below zero is no stop at all (and not a valid order): leave it off.
    const stopOptions = (close: number, dir: 1 | -1, atr: number): SignalOptions => {
      const stop = close - dir * p.atrStop * atr;
      return p.atrStop > 0 && stop > 0 ? { stopPrice: stop } : {};
    };
    // The channels still hold the bars before this one: decide first, update after, so a bar never breaks
    // out of a range that includes itself.
    const decide = (symbol: string, close: number, st: SymbolState, ctx: StrategyContext): void => {
      const pos = ctx.position(symbol);
      const atr = st.atr.value;
      // With a stop asked for, entries wait for the ATR rather than go in unprotected.
      const canEnter = p.atrStop === 0 || st.atr.isReady;
      if (canEnter && close > st.entry.upper && pos <= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'BUY', stopOptions(close, 1, atr));
      } else if (canEnter && p.allowShort && close < st.entry.lower && pos >= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'SELL', stopOptions(close, -1, atr));
      } else if (pos > 0 && close < st.exit.lower) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_LONG');
      } else if (pos < 0 && close > st.exit.upper) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_SHORT');
      }
    };
    return {
      onStart(ctx) {
        for (const s of ctx.symbols) {
          states.set(s, { entry: new DonchianChannel(p.entryPeriod), exit: new DonchianChannel(p.exitPeriod), atr: new ATR(p.atrPeriod) });
        }
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        st.atr.updateBar(bar.high, bar.low, bar.close);
        decide(bar.symbol, bar.close, st, ctx);
        st.entry.updateBar(bar.high, bar.low);
        st.exit.updateBar(bar.high, bar.low);
      },
    };
  },
});

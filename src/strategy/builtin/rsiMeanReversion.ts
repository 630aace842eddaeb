// RSI mean reversion: buys when RSI crosses down into oversold (shorts into overbought when allowed) and exits
// when RSI recovers past a middle level, with optional percent stop-loss/take-profit as bracket orders.

import { defineStrategy, type SignalOptions, type StrategyContext } from '../api.js';
import { crossedAbove, crossedBelow } from '../../indicators/cross.js';
import { RSI } from '../../indicators/rsi.js';
import { SMA } from '../../indicators/sma.js';

interface SymbolState {
  rsi: RSI;
  trend: SMA | null;
  prevRsi: number;
}

/** Bracket levels are set from the deciding close, since the fill price (next open) is not known yet. */
function bracketOptions(close: number, dir: 1 | -1, stopLossPct: number, takeProfitPct: number): SignalOptions {
  return {
    ...(stopLossPct > 0 ? { stopPrice: close * (1 - (dir * stopLossPct) / 100) } : {}),
    ...(takeProfitPct > 0 ? { takeProfitPrice: close * (1 + (dir * takeProfitPct) / 100) } : {}),
  };
}

export const rsiMeanReversion = defineStrategy({
  id: 'rsi-mean-reversion',
  name: 'RSI mean reversion',
  description:
    'Buys when RSI crosses below `oversold` (and sells short when it crosses above `overbought`, with allowShort); ' +
    'exits a long when RSI rises above `exitLevel` and a short when it falls below it. ' +
    'Optional stop-loss / take-profit percentages (from the signal close) are attached as bracket orders, ' +
    'and an optional SMA trend filter allows longs only above it (shorts only below). Decided on the bar close.',
  params: {
    period: { type: 'int', default: 14, min: 2, max: 1_000, description: 'RSI period (bars)' },
    oversold: { type: 'number', default: 30, min: 0, max: 100, description: 'RSI level whose downward cross opens a long' },
    overbought: { type: 'number', default: 70, min: 0, max: 100, description: 'RSI level whose upward cross opens a short' },
    exitLevel: {
      type: 'number',
      default: 50,
      min: 0,
      max: 100,
      description: 'a long exits when RSI is above it, a short when RSI is below it (must lie between oversold and overbought)',
    },
    allowShort: { type: 'boolean', default: false, description: 'also sell short on an upward cross of overbought' },
    stopLossPct: {
      type: 'number',
      default: 0,
      min: 0,
      max: 99,
      description: 'stop-loss distance in percent of the signal close, as a bracket stop order (0 = none)',
    },
    takeProfitPct: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1_000,
      description: 'take-profit distance in percent of the signal close, as a bracket limit order (0 = none)',
    },
    trendPeriod: {
      type: 'int',
      default: 0,
      min: 0,
      max: 10_000,
      description: 'trend filter: longs only when close > SMA(trendPeriod), shorts only when below (0 = off)',
    },
  },
  constraints: [{ params: ['exitLevel', 'oversold', 'overbought'], rule: 'oversold < exitLevel < overbought', holds: (p) => p.oversold < p.exitLevel && p.exitLevel < p.overbought }],
  keepsBars: false,
  create(p) {
    const states = new Map<string, SymbolState>();
    const decide = (symbol: string, close: number, st: SymbolState, rsi: number, trend: number, ctx: StrategyContext): void => {
      const pos = ctx.position(symbol);
      const longOk = st.trend === null || close > trend;
      const shortOk = st.trend === null || close < trend;
      const longEntry = longOk && crossedBelow(st.prevRsi, p.oversold, rsi, p.oversold);
      const shortEntry = p.allowShort && shortOk && crossedAbove(st.prevRsi, p.overbought, rsi, p.overbought);
      // Orders still working belong to the position being left (bracket exits): drop them before any change,
      // or a stale stop could fill later against the new position.
      if (longEntry && pos <= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'BUY', bracketOptions(close, 1, p.stopLossPct, p.takeProfitPct));
      } else if (shortEntry && pos >= 0) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'SELL', bracketOptions(close, -1, p.stopLossPct, p.takeProfitPct));
      } else if (pos > 0 && rsi > p.exitLevel) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_LONG');
      } else if (pos < 0 && rsi < p.exitLevel) {
        ctx.cancelAll(symbol);
        ctx.signal(symbol, 'CLOSE_SHORT');
      }
    };
    return {
      onStart(ctx) {
        for (const s of ctx.symbols) {
          states.set(s, { rsi: new RSI(p.period), trend: p.trendPeriod > 0 ? new SMA(p.trendPeriod) : null, prevRsi: NaN });
        }
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        const rsi = st.rsi.update(bar.close);
        const trend = st.trend === null ? NaN : st.trend.update(bar.close);
        if (!Number.isNaN(rsi)) decide(bar.symbol, bar.close, st, rsi, trend, ctx);
        st.prevRsi = rsi;
      },
    };
  },
});

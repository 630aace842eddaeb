// Momentum trend following: goes long when an EMA trend, a positive MACD histogram and a strong ADX line up,
// protects the position with an ATR initial stop and a chandelier trailing stop, and optionally pyramids.

import type { Fill } from '../../model/types.js';
import { defineStrategy, type StrategyContext } from '../api.js';
import { ADX } from '../../indicators/adx.js';
import { ATR } from '../../indicators/atr.js';
import { EMA } from '../../indicators/ema.js';
import { MACD } from '../../indicators/macd.js';
import type { ParamValues } from '../params.js';

const PARAMS = {
  fast: { type: 'int', default: 20, min: 1, max: 10_000, description: 'fast EMA period (bars)' },
  slow: { type: 'int', default: 50, min: 2, max: 10_000, description: 'slow EMA period (bars); the trend is up while fast > slow' },
  macdFast: { type: 'int', default: 12, min: 1, max: 10_000, description: 'MACD fast EMA period' },
  macdSlow: { type: 'int', default: 26, min: 2, max: 10_000, description: 'MACD slow EMA period' },
  macdSignal: { type: 'int', default: 9, min: 1, max: 10_000, description: 'MACD signal EMA period; entries need histogram > 0' },
  adxPeriod: { type: 'int', default: 14, min: 1, max: 1_000, description: 'ADX period (bars)' },
  adxThreshold: { type: 'number', default: 20, min: 0, max: 100, description: 'entries need ADX above this (0 = no ADX filter)' },
  atrPeriod: { type: 'int', default: 14, min: 1, max: 10_000, description: 'ATR period for stops and pyramiding (bars)' },
  atrStop: { type: 'number', default: 2, min: 0, max: 100, description: 'initial stop at entry fill − atrStop × ATR (0 = none)' },
  atrTrail: {
    type: 'number',
    default: 3,
    min: 0,
    max: 100,
    description: 'trailing stop at the highest close since entry − atrTrail × ATR (0 = none)',
  },
  maxPyramid: { type: 'int', default: 0, min: 0, max: 100, description: 'additional entries allowed per trade (0 = no pyramiding)' },
  pyramidAtr: {
    type: 'number',
    default: 1,
    min: 0.1,
    max: 100,
    description: 'add a unit when the close is this many ATRs above the last entry fill',
  },
} as const;

type Params = ParamValues<typeof PARAMS>;

interface SymbolState {
  fast: EMA;
  slow: EMA;
  macd: MACD;
  adx: ADX;
  atr: ATR;
  /** Entry conditions held on the previous bar: entries need a fresh setup, not a lingering one. */
  prevSetup: boolean;
  /** Trade state, reset at each entry. */
  entryAtr: number;
  initialStop: number;
  highestClose: number;
  lastEntryPrice: number;
  unitQty: number;
  adds: number;
}

function newState(p: Params): SymbolState {
  return {
    fast: new EMA(p.fast),
    slow: new EMA(p.slow),
    macd: new MACD(p.macdFast, p.macdSlow, p.macdSignal),
    adx: new ADX(p.adxPeriod),
    atr: new ATR(p.atrPeriod),
    prevSetup: false,
    entryAtr: NaN,
    initialStop: -Infinity,
    highestClose: -Infinity,
    lastEntryPrice: NaN,
    unitQty: 0,
    adds: 0,
  };
}

function isSetup(p: Params, st: SymbolState): boolean {
  if (!st.slow.isReady || !st.macd.isReady || !st.atr.isReady) return false;
  const adxOk = p.adxThreshold === 0 || (st.adx.isReady && st.adx.value > p.adxThreshold);
  return st.fast.value > st.slow.value && st.macd.histogram > 0 && adxOk;
}

function enter(p: Params, symbol: string, close: number, st: SymbolState, ctx: StrategyContext): void {
  const atr = st.atr.value;
  st.entryAtr = atr;
  st.initialStop = -Infinity;
  st.highestClose = -Infinity;
  st.lastEntryPrice = NaN;
  st.unitQty = 0;
  st.adds = 0;
  const stop = close - p.atrStop * atr;
  // buy, not signal: signal would attach the stop as a bracket order, but this strategy manages its stops on
  // closes. The stop estimate still reaches the sizer, so risk-based sizing (--size risk:1%) works.
  ctx.buy(symbol, undefined, p.atrStop > 0 && stop > 0 ? { stopPrice: stop, tag: 'entry' } : { tag: 'entry' });
}

function manage(p: Params, symbol: string, close: number, st: SymbolState, ctx: StrategyContext): void {
  const atr = st.atr.value;
  st.highestClose = Math.max(st.highestClose, close);
  const trail = p.atrTrail > 0 ? st.highestClose - p.atrTrail * atr : -Infinity;
  const stop = Math.max(st.initialStop, trail);
  if (close < stop || st.fast.value < st.slow.value) {
    ctx.signal(symbol, 'CLOSE_LONG', { tag: close < stop ? 'stop' : 'trend-exit' });
    return;
  }
  if (st.adds < p.maxPyramid && st.unitQty > 0 && close >= st.lastEntryPrice + p.pyramidAtr * atr) {
    // Counted even when risk refuses it, so a refused add is not retried on every bar.
    st.adds++;
    ctx.buy(symbol, st.unitQty, { tag: 'pyramid' });
  }
}

export const momentumTrend = defineStrategy({
  id: 'momentum-trend',
  name: 'Momentum trend following',
  description:
    'Long only. Buys when EMA(fast) > EMA(slow), the MACD histogram is > 0 and ADX > adxThreshold all hold on a bar after ' +
    'a bar on which they did not. Exits on the next open after a close below the stop (the higher of entry fill − ' +
    'atrStop × ATR at entry and the highest close since entry − atrTrail × ATR) or after EMA(fast) < EMA(slow). ' +
    'With maxPyramid > 0 it adds the first entry’s quantity each time the close is pyramidAtr × ATR above the last entry fill.',
  params: PARAMS,
  constraints: [
    { params: ['fast', 'slow'], rule: 'fast < slow', holds: (p) => p.fast < p.slow },
    { params: ['macdFast', 'macdSlow'], rule: 'macdFast < macdSlow', holds: (p) => p.macdFast < p.macdSlow },
  ],
  keepsBars: false,
  create(p) {
    const states = new Map<string, SymbolState>();
    return {
      onStart(ctx) {
        for (const s of ctx.symbols) states.set(s, newState(p));
      },
      onFill(fill: Fill) {
        const st = states.get(fill.symbol);
        if (st === undefined || fill.side !== 'buy') return;
        if (st.adds === 0) {
          st.unitQty += fill.quantity;
          if (p.atrStop > 0) st.initialStop = fill.price - p.atrStop * st.entryAtr;
        }
        st.lastEntryPrice = fill.price;
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        st.fast.update(bar.close);
        st.slow.update(bar.close);
        st.macd.update(bar.close);
        st.adx.updateBar(bar.high, bar.low, bar.close);
        st.atr.updateBar(bar.high, bar.low, bar.close);
        const setup = isSetup(p, st);
        // An order still working (a partly filled one under a volume limit) must finish before the next decision.
        if (ctx.openOrders(bar.symbol).length === 0) {
          if (ctx.position(bar.symbol) > 0) manage(p, bar.symbol, bar.close, st, ctx);
          else if (setup && !st.prevSetup) enter(p, bar.symbol, bar.close, st, ctx);
        }
        st.prevSetup = setup;
      },
    };
  },
});

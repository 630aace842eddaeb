// Moving-average crossover: long when the fast average crosses above the slow one, flat (or short) when it
// crosses below. SMA sums are exact, so crossovers never flip on floating-point noise.

import { defineStrategy } from '../api.js';
import { crossedAbove, crossedBelow } from '../../indicators/cross.js';
import { EMA } from '../../indicators/ema.js';
import { SMA } from '../../indicators/sma.js';
import type { SeriesIndicator } from '../../indicators/indicator.js';

interface SymbolState {
  fast: SeriesIndicator;
  slow: SeriesIndicator;
  volume: SMA | null;
  prevFast: number;
  prevSlow: number;
}

export const smaCross = defineStrategy({
  id: 'sma-cross',
  name: 'Moving-average crossover',
  description:
    'Buys when the fast moving average crosses above the slow one and exits (or reverses when allowShort) when it crosses below. ' +
    'Signals are decided on the bar close; with the default fill rules they fill at the next bar open. ' +
    'A cross needs both averages defined on the previous bar too.',
  params: {
    fast: { type: 'int', default: 10, min: 1, max: 10_000, description: 'fast average period (bars)' },
    slow: { type: 'int', default: 30, min: 2, max: 10_000, description: 'slow average period (bars)' },
    ma: { type: 'enum', default: 'sma', options: ['sma', 'ema'], description: 'average type' },
    volumeFilter: {
      type: 'number',
      default: 0,
      min: 0,
      max: 100,
      description: 'enter only when volume > volumeFilter × its slow-period average (0 = off)',
    },
    allowShort: { type: 'boolean', default: false, description: 'go short on a cross down instead of only exiting' },
  },
  constraints: [{ params: ['fast', 'slow'], rule: 'fast < slow', holds: (p) => p.fast < p.slow }],
  keepsBars: false,
  create(p) {
    const states = new Map<string, SymbolState>();
    const make = (period: number): SeriesIndicator => (p.ma === 'ema' ? new EMA(period) : new SMA(period));
    return {
      onStart(ctx) {
        if (p.fast >= p.slow) ctx.log.warn('fast period is not shorter than slow period', { fast: p.fast, slow: p.slow });
        for (const s of ctx.symbols) {
          states.set(s, {
            fast: make(p.fast),
            slow: make(p.slow),
            volume: p.volumeFilter > 0 ? new SMA(p.slow, 0) : null,
            prevFast: NaN,
            prevSlow: NaN,
          });
        }
      },
      onBar(bar, ctx) {
        const st = states.get(bar.symbol);
        if (st === undefined) return;
        const fast = st.fast.update(bar.close);
        const slow = st.slow.update(bar.close);
        const avgVolume = st.volume === null ? NaN : st.volume.update(bar.volume);
        if (crossedAbove(st.prevFast, st.prevSlow, fast, slow)) {
          const volumeOk = st.volume === null || bar.volume > p.volumeFilter * avgVolume;
          if (volumeOk) ctx.signal(bar.symbol, 'BUY');
          else ctx.signal(bar.symbol, 'CLOSE_SHORT');
        } else if (crossedBelow(st.prevFast, st.prevSlow, fast, slow)) {
          ctx.signal(bar.symbol, p.allowShort ? 'SELL' : 'CLOSE_LONG');
        }
        st.prevFast = fast;
        st.prevSlow = slow;
      },
    };
  },
});

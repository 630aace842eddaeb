// Buy and hold: the benchmark every other strategy should beat. Buys on the first bar of each symbol and
// never sells; the position is marked to the last close at the end.

import { defineStrategy } from '../api.js';

export const buyAndHold = defineStrategy({
  id: 'buy-and-hold',
  name: 'Buy and hold',
  description: 'Buys each symbol on its first bar (sized by --size, or split equally with equalWeight) and holds to the end.',
  params: {
    equalWeight: {
      type: 'boolean',
      default: false,
      description: 'split equity equally across symbols (ignores --size)',
    },
  },
  keepsBars: false,
  create(p) {
    const bought = new Set<string>();
    return {
      onBar(bar, ctx) {
        if (bought.has(bar.symbol)) return;
        bought.add(bar.symbol);
        if (!p.equalWeight) {
          ctx.signal(bar.symbol, 'BUY');
          return;
        }
        // Leave a sliver for the gap between this close and the next open.
        const budget = (ctx.equity() * 0.98) / ctx.symbols.length;
        const qty = Math.floor(budget / bar.close / ctx.instrument(bar.symbol).lotSize) * ctx.instrument(bar.symbol).lotSize;
        if (qty > 0) ctx.signal(bar.symbol, 'BUY', { quantity: qty });
      },
    };
  },
});

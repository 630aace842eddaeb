// Determinism (DESIGN.md §2): a backtest is a pure function of its inputs. The same run twice gives the
// same trades, equity curve and orders, byte for byte.

import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import type { BacktestResult } from '../../../src/backtest/types.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';
import type { BarSeries } from '../../../src/model/barSeries.js';
import { runScript, type Action, type RunOptions } from './fixtures.js';
import { parseCommissionSpec, parseSlippageSpec } from '../../../src/engine/specs.js';

function fingerprint(r: BacktestResult): string[] {
  return [JSON.stringify(r.trades), JSON.stringify(Array.from(r.equity)), JSON.stringify(r.orders), JSON.stringify(r.openPositions), r.finalCash];
}

/** Every few bars: a market order, a limit, a stop-limit, a trailing stop, a bracket and an OCO pair. */
function busyActions(bars: number): Record<number, Action> {
  const actions: Record<number, Action> = {};
  for (let i = 0; i < bars; i += 3) {
    actions[i] = (ctx, bar) => {
      const side = i % 2 === 0 ? 'buy' : 'sell';
      ctx.submit({ symbol: 'AAA', side, quantity: 30 });
      ctx.submit({ symbol: 'AAA', side, quantity: 20, type: 'limit', limitPrice: Math.round(bar.close * 99) / 100, tif: 'DAY' });
      ctx.submit({ symbol: 'AAA', side, quantity: 10, type: 'stop-limit', stopPrice: Math.round(bar.close * 101) / 100, limitPrice: Math.round(bar.close * 100) / 100 });
      ctx.submit({ symbol: 'AAA', side: side === 'buy' ? 'sell' : 'buy', quantity: 15, type: 'trailing-stop', trailPercent: 1.5 });
      ctx.submitBracket({
        entry: { symbol: 'AAA', side, quantity: 25 },
        takeProfit: { limitPrice: Math.round(bar.close * (side === 'buy' ? 103 : 97)) / 100 },
        stopLoss: { stopPrice: Math.round(bar.close * (side === 'buy' ? 98 : 102)) / 100 },
      });
      ctx.submitOco([
        { symbol: 'AAA', side, quantity: 5, type: 'limit', limitPrice: Math.round(bar.close * 98) / 100 },
        { symbol: 'AAA', side, quantity: 5, type: 'stop', stopPrice: Math.round(bar.close * 102) / 100 },
      ]);
    };
  }
  return actions;
}

describe('determinism', () => {
  const bars: BarSeries = generateSyntheticBars({ symbol: 'AAA', bars: 300, seed: 7 });

  it('the same scripted run with every order type and cost model twice gives identical results', () => {
    const options: RunOptions = { commission: 'per-share:0.005:min=1+fixed:0.5', slippage: 'sqrt-impact:0.05', volumeLimitPct: 2 };
    const a = runScript([bars], busyActions(bars.length), options);
    const b = runScript([bars], busyActions(bars.length), options);
    expect(a.result.trades.length).toBeGreaterThan(10);
    expect(fingerprint(b.result)).toEqual(fingerprint(a.result));
    expect(JSON.stringify(b.fills)).toBe(JSON.stringify(a.fills));
  });

  it('a built-in strategy run twice gives identical results, and so do runs on regenerated data', () => {
    const input = { strategy: smaCross, params: { fast: 5, slow: 20 }, cash: 100_000, commission: parseCommissionSpec('bps:5'), slippage: parseSlippageSpec('bps:2') } as const;
    const a = runBacktest({ ...input, series: [bars] });
    const b = runBacktest({ ...input, series: [bars] });
    const c = runBacktest({ ...input, series: [generateSyntheticBars({ symbol: 'AAA', bars: 300, seed: 7 })] });
    expect(a.trades.length).toBeGreaterThan(3);
    expect(fingerprint(b)).toEqual(fingerprint(a));
    expect(fingerprint(c)).toEqual(fingerprint(a));
    expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(a.metrics));
  });
});

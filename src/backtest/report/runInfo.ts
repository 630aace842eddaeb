// What a report says about the run itself (strategy, params, period), the same in every output.

import type { PriceAdjustment } from '../../model/priceAdjustment.js';
import type { BacktestResult } from '../types.js';
import { MISSING, allDates, formatMoney, formatTime } from './format.js';

export interface RunInfo {
  readonly strategy: string;
  /** ["fast=10", "slow=30"], in the order the config lists them. */
  readonly params: readonly string[];
  readonly symbols: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly bars: number;
  /** True when all bar times are UTC midnights: show dates, not clock times. */
  readonly dateOnly: boolean;
  /** "split-adjusted prices" and the like; null for prices as traded, which need no mention. */
  readonly adjusted: string | null;
  /** "100% of equity per entry · cash 100,000.00 · no costs": how big the trades were, which the returns depend on. */
  readonly sizing: string;
}

const ADJUSTED_TEXT: Readonly<Record<PriceAdjustment, string>> = {
  none: 'prices as traded',
  splits: 'split-adjusted prices',
  all: 'split- and dividend-adjusted prices',
};

/** How the run's prices were adjusted, in words. */
export function adjustmentText(a: PriceAdjustment): string {
  return ADJUSTED_TEXT[a];
}

export function paramText(name: string, value: string | number | boolean): string {
  return `${name}=${String(value)}`;
}

/**
 * A size spec in words: a plain number is shares, `N%` a share of equity, `$N` money per entry, `equal:N` the
 * account in N parts (the default of an N-symbol run); others as written.
 */
export function sizeText(spec: string): string {
  const s = spec.trim();
  if (/^\d+$/.test(s)) return `${s} shares per entry`;
  const slots = /^equal:(\d+)$/.exec(s)?.[1];
  if (slots !== undefined) return `1/${slots} of equity per symbol (equal weight)`;
  if (/^\d+(\.\d+)?%$/.test(s)) return `${s} of equity per entry`;
  if (/^\$\d+(\.\d+)?$/.test(s)) return `${formatMoney(Number(s.slice(1)))} per entry`;
  return `--size ${s}`;
}

function sizingText(c: BacktestResult['config']): string {
  const costs = c.commission === 'none' && c.slippage === 'none' ? 'no costs' : `commission ${c.commission}, slippage ${c.slippage}`;
  return `${sizeText(c.size)} · cash ${formatMoney(c.cash)} · ${costs}`;
}

/** The period comes from the bars actually replayed; the requested --from/--to only when there were none. */
export function runInfo(result: BacktestResult): RunInfo {
  const { config, times } = result;
  const dateOnly = allDates(times);
  const first = times[0];
  const last = times[times.length - 1];
  return {
    strategy: config.strategy,
    params: Object.entries(config.params).map(([k, v]) => paramText(k, v)),
    symbols: config.symbols.length > 0 ? config.symbols.join(', ') : MISSING,
    timeframe: config.timeframe,
    from: first !== undefined ? formatTime(first, dateOnly) : (config.from ?? MISSING),
    to: last !== undefined ? formatTime(last, dateOnly) : (config.to ?? MISSING),
    bars: times.length,
    dateOnly,
    adjusted: config.adjustment === 'none' ? null : adjustmentText(config.adjustment),
    sizing: sizingText(config),
  };
}

// Split- and dividend-adjusted bars from raw (as traded) bars and their corporate actions, back-adjusted so
// the latest bars keep their traded prices and earlier ones are scaled to be comparable with them. The one
// implementation every adjusted read of the store (`--adjust`, `adjust=`) goes through; the store stays raw.

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, lowerBound, type BarSeries } from '../model/barSeries.js';
import { isPriceAdjustment, PRICE_ADJUSTMENTS, type PriceAdjustment } from '../model/priceAdjustment.js';
import type { CorporateAction } from './providers/types.js';

export interface AdjustOptions {
  /** Also apply cash dividends (the multiplicative factor 1 − D / close before ex); default true. */
  readonly dividends?: boolean;
}

/** One action as the factors applying to every bar before its ex-date. */
interface Step {
  readonly ts: number;
  readonly price: number;
  readonly volume: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The price factor of a dividend: 1 − D / C, C the raw close of the last bar before the ex-date. A dividend
 * with no bar before it changes nothing in this series (undefined); one not below that close is bad data.
 */
function dividendFactor(s: BarSeries, ts: number, amount: number): number | undefined {
  const j = lowerBound(s, ts) - 1;
  if (j < 0) return undefined;
  const close = s.close[j] as number;
  if (!(amount >= 0) || !(amount < close)) {
    throw new Pi5Error('PI5_ERR_BAD_BAR', `${s.symbol}: dividend of ${amount} going ex ${iso(ts)} is not below the close ${close} of ${iso(s.ts[j] as number)}; cannot adjust`, {
      symbol: s.symbol,
      ts,
      amount,
      close,
    });
  }
  return 1 - amount / close;
}

function stepsOf(s: BarSeries, actions: readonly CorporateAction[], withDividends: boolean): Step[] {
  const out: Step[] = [];
  for (const a of actions) {
    if (a.symbol !== s.symbol) continue;
    if (a.kind === 'split') {
      if (!(a.numerator > 0 && a.denominator > 0)) throw new Pi5Error('PI5_ERR_BAD_BAR', `${s.symbol}: split ${a.numerator}:${a.denominator} going ex ${iso(a.ts)} is not a positive ratio`);
      const ratio = a.numerator / a.denominator;
      out.push({ ts: a.ts, price: 1 / ratio, volume: ratio });
    } else if (withDividends) {
      const f = dividendFactor(s, a.ts, a.amount);
      if (f !== undefined) out.push({ ts: a.ts, price: f, volume: 1 });
    }
  }
  // Newest first: the walk below goes from the last bar back and picks up each action as it passes its ex-date.
  return out.sort((a, b) => b.ts - a.ts);
}

/** Decimals an adjusted price keeps: the tick's plus 4 (adjusted prices are not tradable, but float noise is not wanted). */
export function adjustedPriceDecimals(priceDecimals: number): number {
  return Math.min(12, priceDecimals + 4);
}

/**
 * A new series with every bar before an action's ex-date scaled by that action: a split of n:d divides
 * prices by n/d and multiplies volume by it; a dividend multiplies prices by 1 − D / close before ex. Prices
 * are rounded to adjustedPriceDecimals (the series keeps the instrument's tick as its priceDecimals: writers of
 * adjusted prices must ask for the extra decimals); volumes to whole units. Actions of other symbols are ignored; the input is not changed.
 */
export function adjustSeries(s: BarSeries, actions: readonly CorporateAction[], o: AdjustOptions = {}): BarSeries {
  const steps = stepsOf(s, actions, o.dividends ?? true);
  const out = allocateSeries(s.symbol, s.timeframe, s.length, s.priceDecimals);
  const p = 10 ** adjustedPriceDecimals(s.priceDecimals);
  const round = (x: number): number => Math.round(x * p) / p;
  let price = 1;
  let volume = 1;
  let k = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const ts = s.ts[i] as number;
    for (let step = steps[k]; step !== undefined && step.ts > ts; step = steps[++k]) {
      price *= step.price;
      volume *= step.volume;
    }
    out.ts[i] = ts;
    out.open[i] = round((s.open[i] as number) * price);
    out.high[i] = round((s.high[i] as number) * price);
    out.low[i] = round((s.low[i] as number) * price);
    out.close[i] = round((s.close[i] as number) * price);
    out.volume[i] = Math.round((s.volume[i] as number) * volume);
  }
  return out;
}

/** `text` as an adjustment; `where` names the option in the error (`--adjust`, `adjust`). */
export function parsePriceAdjustment(text: string | undefined, where: string): PriceAdjustment {
  if (text === undefined) return 'none';
  const t = text.trim().toLowerCase();
  if (isPriceAdjustment(t)) return t;
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `${where}: ${JSON.stringify(text)} is not one of ${PRICE_ADJUSTMENTS.join(', ')} (none: as traded; splits: split-adjusted; all: splits and dividends)`, {
    field: where,
    value: text,
  });
}

/** The series in the asked form: unchanged for 'none', splits only for 'splits', both kinds for 'all'. */
export function applyPriceAdjustment(s: BarSeries, actions: readonly CorporateAction[], adjustment: PriceAdjustment): BarSeries {
  return adjustment === 'none' ? s : adjustSeries(s, actions, { dividends: adjustment === 'all' });
}

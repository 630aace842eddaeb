// The one parser of what users write as size, commission, slippage and risk specs: CLI flags, pi5.config.yaml
// and API bodies all come here, and runners (backtests, trading sessions) receive the typed objects, never the
// text. The grammars live beside their models (risk/sizing/parse.ts, execution/venues/sim/commission.ts and
// slippage.ts); risk configs go through riskSpec.ts (zod, loaded only by runs given one).

import { compileCommission, type CommissionModel } from '../execution/venues/sim/commission.js';
import { parseSlippage, type SlippageModel } from '../execution/venues/sim/slippage.js';
import { parseSizeSpec } from '../risk/sizing/parse.js';
import type { Sizer } from '../risk/sizing/types.js';

/** A checked spec: the text as written (reports and stored configs echo it) and what a run uses. */
export interface SizeSpec {
  readonly text: string;
  /** Sizers keep no state between calls, so one serves every run. */
  readonly sizer: Sizer;
}

export interface CommissionSpec {
  readonly text: string;
  /** A fresh model for one run: tiered rates count that run's shares of the month. */
  build(): CommissionModel;
}

export interface SlippageSpec {
  readonly text: string;
  /** Slippage models keep no state, so one serves every run. */
  readonly model: SlippageModel;
}

/** The three specs every run is made with. */
export interface TradingSpecs {
  readonly size: SizeSpec;
  readonly commission: CommissionSpec;
  readonly slippage: SlippageSpec;
}

/** The texts of TradingSpecs as they come from a flag, a config file or a request; absent ones take `defaults`. */
export interface TradingSpecTexts {
  readonly size?: string | undefined;
  readonly commission?: string | undefined;
  readonly slippage?: string | undefined;
}

/**
 * The size a backtest takes when none is given: the account split evenly over the traded symbols, so one
 * symbol is all in (what backtesting.py and vectorbt users expect) and N symbols get 1/N of equity each
 * (equal weight with N slots: the first entry of a bar cannot take the whole account); decision 0012.
 */
export function defaultBacktestSize(symbolCount: number): string {
  return symbolCount > 1 ? `equal:${symbolCount}` : '100%';
}

/** What `pi5 backtest`, optimizations and API backtests of `symbolCount` symbols default to: the account split evenly, no costs. */
export function backtestSpecDefaults(symbolCount: number): Required<{ [K in keyof TradingSpecTexts]: string }> {
  return { size: defaultBacktestSize(symbolCount), commission: 'none', slippage: 'none' };
}

/** `100` · `10%` · `$5000` · `risk:1%` · `vol:15%` · `kelly:0.5` · `risk-parity` · `equal` (risk/sizing/parse.ts). */
export function parseSize(text: string): SizeSpec {
  return { text, sizer: parseSizeSpec(text) };
}

/** `none` · `per-share:0.005:min=1` · `percent:0.1` · `bps:5` · `fixed:1` · `tiered:…`, joined with `+`. */
export function parseCommissionSpec(text: string): CommissionSpec {
  return { text, build: compileCommission(text) };
}

/** `none` · `bps:5` · `ticks:1` · `volume-share:0.1` · `sqrt-impact:0.1` · `spread:10`. */
export function parseSlippageSpec(text: string): SlippageSpec {
  return { text, model: parseSlippage(text) };
}

/**
 * All three at once, in the order a user reads them (size, commission, slippage), so the first bad one is named;
 * absent ones take a backtest's defaults for `symbolCount` traded symbols.
 */
export function parseTradingSpecs(texts: TradingSpecTexts, symbolCount = 1): TradingSpecs {
  const defaults = backtestSpecDefaults(symbolCount);
  return {
    size: parseSize(texts.size ?? defaults.size),
    commission: parseCommissionSpec(texts.commission ?? defaults.commission),
    slippage: parseSlippageSpec(texts.slippage ?? defaults.slippage),
  };
}

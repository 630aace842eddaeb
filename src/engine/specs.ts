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

/** What `pi5 backtest` and API backtests default to: 100 shares, no costs. */
export const BACKTEST_SPEC_DEFAULTS = { size: '100', commission: 'none', slippage: 'none' } as const;

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

/** All three at once, in the order a user reads them (size, commission, slippage), so the first bad one is named. */
export function parseTradingSpecs(texts: TradingSpecTexts, defaults: Required<{ [K in keyof TradingSpecTexts]: string }> = BACKTEST_SPEC_DEFAULTS): TradingSpecs {
  return {
    size: parseSize(texts.size ?? defaults.size),
    commission: parseCommissionSpec(texts.commission ?? defaults.commission),
    slippage: parseSlippageSpec(texts.slippage ?? defaults.slippage),
  };
}

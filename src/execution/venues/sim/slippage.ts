// Slippage models: how far a taker fill moves against the trader from the rule price. Parsed from one spec:
// none | bps:B | ticks:N | volume-share:K (impact = K × (qty/volume)² × price) |
// sqrt-impact:K (impact = K × √(qty/volume) × price) | spread[:BPS] (half the quoted spread; half of BPS without quotes).

import { Pi5Error } from '../../../core/errors.js';
import type { Side } from '../../../model/types.js';

export interface SlippageInput {
  readonly side: Side;
  /** Rule price in pu (before slippage). */
  readonly pricePu: number;
  readonly quantity: number;
  readonly barVolume: number;
  /** Tick size in pu for the instrument. */
  readonly tickPu: number;
  /** Latest quoted spread in pu, or NaN without quotes. */
  readonly spreadPu: number;
}

export interface SlippageModel {
  readonly spec: string;
  /** Adverse move in pu (≥ 0), rounded to whole pu. */
  slippagePu(input: SlippageInput): number;
}

function badSpec(spec: string, why: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `--slippage ${JSON.stringify(spec)}: ${why}`, { field: 'slippage' });
}

function nonNegative(spec: string, text: string | undefined, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw badSpec(spec, `${JSON.stringify(text ?? '')} is not a non-negative number`);
  }
  return n;
}

function volumeShare(q: number, v: number): number {
  return v > 0 ? Math.min(1, q / v) : 1;
}

export function parseSlippage(spec = 'none'): SlippageModel {
  const [kind, arg] = spec.trim().split(':');
  switch (kind) {
    case 'none':
    case '0':
      return { spec, slippagePu: () => 0 };
    case 'bps': {
      const bps = nonNegative(spec, arg);
      return { spec, slippagePu: (s) => Math.round((s.pricePu * bps) / 10_000) };
    }
    case 'ticks': {
      const n = nonNegative(spec, arg);
      return { spec, slippagePu: (s) => Math.round(n * s.tickPu) };
    }
    case 'volume-share': {
      const k = nonNegative(spec, arg, 0.1);
      return { spec, slippagePu: (s) => Math.round(k * volumeShare(s.quantity, s.barVolume) ** 2 * s.pricePu) };
    }
    case 'sqrt-impact': {
      const k = nonNegative(spec, arg, 0.1);
      return { spec, slippagePu: (s) => Math.round(k * Math.sqrt(volumeShare(s.quantity, s.barVolume)) * s.pricePu) };
    }
    case 'spread': {
      const bps = nonNegative(spec, arg, 0);
      return {
        spec,
        slippagePu: (s) => Math.round(Number.isNaN(s.spreadPu) ? (s.pricePu * bps) / 20_000 : s.spreadPu / 2),
      };
    }
    default:
      throw badSpec(spec, `unknown model ${JSON.stringify(kind)} (none, bps, ticks, volume-share, sqrt-impact, spread)`);
  }
}

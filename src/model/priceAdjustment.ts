// Which form of the stored, as-traded prices a read returns (DESIGN.md §8): raw, split-adjusted, or split- and
// dividend-adjusted. One name for the option everywhere: `--adjust` on the CLI, `adjust` on the API.

export const PRICE_ADJUSTMENTS = ['none', 'splits', 'all'] as const;

export type PriceAdjustment = (typeof PRICE_ADJUSTMENTS)[number];

export function isPriceAdjustment(x: unknown): x is PriceAdjustment {
  return typeof x === 'string' && (PRICE_ADJUSTMENTS as readonly string[]).includes(x);
}

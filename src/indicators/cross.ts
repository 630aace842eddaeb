// Crossover tests between two series, from their previous and current values. Pure functions, no state.
// NaN anywhere (an indicator not yet ready) makes both false.

/** a crossed above b: a > b now, and a ≤ b on the previous bar. */
export function crossedAbove(prevA: number, prevB: number, a: number, b: number): boolean {
  return a > b && prevA <= prevB;
}

/** a crossed below b: a < b now, and a ≥ b on the previous bar. */
export function crossedBelow(prevA: number, prevB: number, a: number, b: number): boolean {
  return a < b && prevA >= prevB;
}

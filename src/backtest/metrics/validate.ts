// Shape checks on the runner's metrics input: a mismatch is a bug in the runner, so it fails fast with
// the lengths that disagree rather than producing quietly wrong metrics.

import { Pi5Error } from '../../core/errors.js';
import type { MetricsInput } from '../types.js';

function mismatch(what: string, got: number, want: number): Pi5Error {
  return new Pi5Error('PI5_ERR_INTERNAL', `metrics input: ${what} has ${got} values, expected ${want}`, {
    what,
    got,
    want,
  });
}

/** equity is E_0..E_N and times are the N bar times of E_1..E_N. */
export function checkEquityShape(times: Float64Array, equity: Float64Array): void {
  if (equity.length !== times.length + 1) throw mismatch('equity', equity.length, times.length + 1);
}

export function checkMetricsInput(input: MetricsInput): void {
  const n = input.times.length;
  checkEquityShape(input.times, input.equity);
  if (input.inMarket.length !== n) throw mismatch('inMarket', input.inMarket.length, n);
  if (input.benchmark !== undefined && input.benchmark.length !== n) {
    throw mismatch('benchmark', input.benchmark.length, n);
  }
  if (!(input.periodsPerYear > 0 && Number.isFinite(input.periodsPerYear))) {
    const message = `metrics input: periodsPerYear ${input.periodsPerYear} is not a positive number`;
    throw new Pi5Error('PI5_ERR_INTERNAL', message, { periodsPerYear: input.periodsPerYear });
  }
}

// What Kernel.runStep reads a time step from: a replay of stored series (backtests, replayed sessions) or live
// bars as their step closes (live/liveStepSource.ts). Both hand over the same shape, so the loop is one.

import type { Bar } from '../model/types.js';

export interface StepFeed {
  /** Time of the next step ready to run, or null when there is none (yet). */
  nextTs(): number | null;
  /** Hands on the next step's bars in symbol order, moving each symbol's history to its bar first. */
  deliverStep(onBar: (bar: Bar) => void): number;
}

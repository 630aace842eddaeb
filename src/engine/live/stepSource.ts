// What a paper session runs on: a source of time steps (every bar sharing a timestamp). A replay of stored
// series (ReplayFeed) knows all its steps up front; a live source (LiveStepSource) learns them from a market-data
// feed as bars close. The session processes both the same way, so a strategy cannot tell them apart.

import type { Bar } from '../../model/types.js';
import type { BarHistory } from '../../strategy/api.js';
import type { StepFeed } from '../stepFeed.js';

export interface StepSource extends StepFeed {
  readonly kind: 'replay' | 'live';
  /** One per symbol, in the order the session's instruments are given. */
  readonly histories: readonly BarHistory[];
  /** Steps known so far: a replay's all, a live source's processed plus closed and waiting. */
  readonly length: number;
  /** True once no step can follow (a live source never ends). */
  readonly done: boolean;
  /** Time of the next step ready to run, or null when there is none (yet). */
  nextTs(): number | null;
  /**
   * Delivers the next step's bars in symbol order, moving each symbol's history to its bar just before the bar
   * is handed on (as the backtest runner does). Returns the step's index, or -1 when there is none.
   */
  deliverStep(onBar: (bar: Bar) => void): number;
}

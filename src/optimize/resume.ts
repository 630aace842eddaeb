// Resuming an interrupted optimization from its stored trials. Every search method is deterministic (seeded,
// and batch-independent), so a run started again proposes the same points in the same order; a point whose
// trial is stored is answered from the store instead of being backtested again, and only the missing trials
// run. The final result is the uninterrupted run's: a restored trial carries the stored params and metrics,
// rebuilt in the order the engine makes them, and is scored again by the same rules.

import type { Metrics } from '../backtest/types.js';
import type { StoredTrial } from '../persistence/repositories/optimizationRuns.js';
import { METRIC_NAMES } from './objective.js';
import type { Evaluator } from './optimizer.js';
import { pointKey, type ParamPoint } from './space.js';
import { scoreTrial, type Trial, type TrialRules } from './trial.js';

type NullableMetric = { [K in keyof Metrics]: null extends Metrics[K] ? K : never }[keyof Metrics];

// The metrics that may be null. A stored null anywhere else was a non-finite number (stored as null): such a
// trial is run again rather than restored inexactly.
const NULLABLE: Record<NullableMetric, true> = { sortino: true, calmar: true, beta: true, alpha: true, trackingError: true, informationRatio: true, profitFactor: true, sqn: true };

function keyOf(window: number | null, point: Readonly<Record<string, unknown>>): string {
  return `${window ?? '-'}|${pointKey(point as ParamPoint)}`;
}

function isParamValue(v: unknown): v is number | string | boolean {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

export class StoredTrials {
  private readonly byPoint = new Map<string, StoredTrial>();
  private restoredCount = 0;

  /** `paramOrder`: the strategy's parameter names in schema order (the order a backtest reports them in). */
  constructor(
    stored: readonly StoredTrial[],
    private readonly paramOrder: readonly string[],
  ) {
    for (const t of stored) this.byPoint.set(keyOf(t.window, t.point), t);
  }

  /** Trials answered from the store so far. */
  get restored(): number {
    return this.restoredCount;
  }

  /** Whether the store already holds this point's trial (so it is not stored twice). */
  has(window: number | null, point: ParamPoint): boolean {
    return this.byPoint.has(keyOf(window, point));
  }

  /** An evaluator that answers stored points from the store and hands the rest, in order, to `evaluate`. */
  evaluator(evaluate: Evaluator, window: number | null, rules: TrialRules): Evaluator {
    return async (batch) => {
      const found = batch.map((b) => {
        const s = this.byPoint.get(keyOf(window, b.point));
        return s === undefined ? undefined : this.restore(b.id, b.point, s, rules);
      });
      const missing = batch.filter((_, i) => found[i] === undefined);
      const ran = missing.length === 0 ? [] : await evaluate(missing);
      let next = 0;
      return found.map((t) => t ?? (ran[next++] as Trial));
    };
  }

  private restore(id: number, point: ParamPoint, s: StoredTrial, rules: TrialRules): Trial | undefined {
    const metrics: Record<string, number | null> = {};
    for (const k of METRIC_NAMES) {
      const v = s.metrics[k];
      if (v === undefined || (v === null && !(k in NULLABLE))) return undefined;
      metrics[k] = v;
    }
    const params: Record<string, number | string | boolean> = {};
    for (const k of this.paramOrder) {
      const v = s.params[k];
      if (!isParamValue(v)) return undefined;
      params[k] = v;
    }
    if (Object.keys(s.params).length !== this.paramOrder.length) return undefined;
    this.restoredCount++;
    return scoreTrial(id, point, params, metrics as unknown as Metrics, rules);
  }
}

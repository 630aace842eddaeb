// Recovery by re-derivation (docs/decisions/0005): a reopened session re-runs its stored steps through a fresh
// kernel at full speed, applying the recorded actions after the same steps, then checks the orders it
// re-derived against the stored ones. Any difference halts the session instead of trading on it.

import { Pi5Error } from '../../core/errors.js';
import type { SessionAction } from './sessionActions.js';
import type { SessionLedger } from './sessionLedger.js';
import type { RecordedAction, StoredSession } from './sessionStore.js';
import type { Order } from '../../model/types.js';

/** What recovery drives: the session's own step and action paths, with nothing written or published. */
export interface RecoveryTarget {
  readonly id: string;
  readonly config: unknown;
  readonly ledger: SessionLedger;
  /** True when every stored step must be re-run (a live session's steps come back from the bar store). */
  readonly requireAllSteps: boolean;
  apply(a: SessionAction): void;
  /** Sends the orders held by the write-ahead venue on (they are stored already). */
  release(): void;
  runStep(): boolean;
}

export interface RecoveryResult {
  /** Sequence number for the next recorded action. */
  readonly nextActionSeq: number;
  /** Why trading must stay halted, or null. */
  readonly failure: string | null;
}

export function recoverSession(t: RecoveryTarget, stored: StoredSession, startActions: readonly SessionAction[]): RecoveryResult {
  // jsonb keeps its own key order, so configurations are compared with sorted keys.
  if (canonicalJson(stored.config) !== canonicalJson(t.config)) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `paper session ${t.id} exists with a different configuration; give the new one another session id`);
  }
  for (const a of startActions) t.apply(a);
  const byStep = new Map<number, RecordedAction[]>();
  for (const r of stored.actions) byStep.set(r.afterStep, [...(byStep.get(r.afterStep) ?? []), r]);
  // Orders made by the actions after the last stored step may lack their rows: the session journals an action
  // before applying it, and a crash (or an outage) can come before the write of the orders it made. Those
  // orders never left the session (held until written), so they are re-derived and written now.
  // Likewise an order those actions changed (a modify) may be stored as it was before: its new row is written
  // with the next write, and the change never left the session either. Re-derived state wins and is written.
  let unstoredFrom = Infinity;
  let quantitiesBefore: ReadonlyMap<string, number> | null = null;
  const replayActions = (afterStep: number): void => {
    if (afterStep === stored.lastStep) {
      unstoredFrom = t.ledger.nextOrderId();
      quantitiesBefore = t.ledger.orderQuantities();
    }
    // Each action is followed by the release its live write made, so a later action sees the same order states.
    // Quotes are the exception: journaled just before the next step and written with it, the orders strategies
    // made on them went out only after that step ran (they stay held here too, till the step's release).
    let held = false;
    for (const r of byStep.get(afterStep) ?? []) {
      try {
        t.apply(r.action);
      } catch {
        // The live session journaled it, then refused it the same way on the same state.
      }
      held = r.action.kind === 'quotes';
      if (!held) t.release();
    }
    if (!held) t.release();
  };
  replayActions(-1);
  while (t.ledger.stepCount <= stored.lastStep && t.runStep()) {
    t.release();
    replayActions(t.ledger.stepCount - 1);
  }
  const nextActionSeq = stored.actions.reduce((m, r) => Math.max(m, r.seq + 1), 0);
  t.ledger.takeDirty();
  if (t.requireAllSteps && t.ledger.stepCount !== stored.lastStep + 1) {
    return { nextActionSeq, failure: `recovery found the bars of ${t.ledger.stepCount} of ${stored.lastStep + 1} stored steps; trading is halted until a person looks` };
  }
  const before: ReadonlyMap<string, number> = quantitiesBefore ?? new Map();
  const changedByLastActions = (o: Order): boolean => o.id >= unstoredFrom || before.get(o.clientOrderId) !== o.quantity;
  const mismatch = t.ledger.compareOrders(stored.orders, (o) => o.id >= unstoredFrom, changedByLastActions);
  if (mismatch !== null) {
    return { nextActionSeq, failure: `recovery found orders that differ from the stored ones (${mismatch}); trading is halted until a person looks` };
  }
  t.ledger.markDirty(t.ledger.unstoredOrders(stored.orders));
  t.ledger.markDirty(t.ledger.laggingOrders(stored.orders));
  return { nextActionSeq, failure: null };
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

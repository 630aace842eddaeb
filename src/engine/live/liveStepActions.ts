// What a live step brings besides its bars: whether its data is stale on the wall clock, and the quotes and
// trades that arrived before it. Both depend on when things happened, not on the stored bars, so the session journals them
// as actions with the step (same write as its orders) and applies them before it; recovery replays them at the
// same point and re-derives the same decisions (docs/decisions/0005, docs/live-trading.md).

import type { LiveStepSource } from './liveStepSource.js';
import type { SessionAction } from './sessionActions.js';

/** The actions to journal and apply before the source's next step, given the kernel's current stale-data reason. */
export function liveStepActions(source: LiveStepSource, staleNow: string | null): SessionAction[] {
  const ts = source.nextTs();
  if (ts === null) return [];
  const out: SessionAction[] = [];
  const reason = source.staleness(ts);
  if ((reason !== null) !== (staleNow !== null)) out.push({ kind: 'dataStale', reason, by: 'feed' });
  const { quotes, trades } = source.takeTicks();
  // No `trades` key without trades: the journal of a quotes-only feed stays as it was.
  if (quotes.length + trades.length > 0) out.push({ kind: 'quotes', quotes, ...(trades.length > 0 ? { trades } : {}), by: 'feed' });
  return out;
}

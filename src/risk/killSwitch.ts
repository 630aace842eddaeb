// The kill switch: once tripped (by a loss limit or a person) only orders that reduce a position pass until
// a person resets it. Its state lives in a RiskStateStore, so a restarted kernel starts tripped.

export interface KillSwitchState {
  readonly tripped: boolean;
  readonly reason: string;
  /** Epoch ms of the last trip or reset (kernel clock for automatic trips, wall clock for people). */
  readonly changedAt: number;
  /** 'limit' for an automatic trip, otherwise who tripped or reset it. */
  readonly changedBy: string;
}

export const KILL_SWITCH_CLEAR: KillSwitchState = { tripped: false, reason: '', changedAt: 0, changedBy: '' };

/**
 * Where risk state survives restarts. Synchronous because the order path is: a database-backed store keeps
 * the state in memory and writes through (the storage issue brings one).
 */
export interface RiskStateStore {
  load(): KillSwitchState | null;
  save(state: KillSwitchState): void;
}

/** Keeps state for the life of the process (backtests by default). */
export class MemoryRiskStateStore implements RiskStateStore {
  constructor(private state: KillSwitchState | null = null) {}

  load(): KillSwitchState | null {
    return this.state;
  }

  save(state: KillSwitchState): void {
    this.state = state;
  }
}

export type KillSwitchListener = (state: KillSwitchState, restored: boolean) => void;

export class KillSwitch {
  private state: KillSwitchState;
  private listener: KillSwitchListener | null = null;

  constructor(private readonly store: RiskStateStore) {
    this.state = store.load() ?? KILL_SWITCH_CLEAR;
  }

  get tripped(): boolean {
    return this.state.tripped;
  }

  get current(): KillSwitchState {
    return this.state;
  }

  /** Hears every trip and reset; told at once if the switch was loaded tripped (restored = true). */
  listen(listener: KillSwitchListener): void {
    this.listener = listener;
    if (this.state.tripped) listener(this.state, true);
  }

  /** Trips the switch; false (and nothing changes) when it is already tripped. */
  trip(reason: string, by: string, ts: number): boolean {
    if (this.state.tripped) return false;
    this.change({ tripped: true, reason, changedAt: ts, changedBy: by });
    return true;
  }

  /** Resets a tripped switch (a person's decision); false when it was not tripped. */
  reset(by: string, ts: number, reason = 'reset'): boolean {
    if (!this.state.tripped) return false;
    this.change({ tripped: false, reason, changedAt: ts, changedBy: by });
    return true;
  }

  private change(next: KillSwitchState): void {
    // Persist first: a trip that would not survive a restart must fail loudly, not half-happen.
    this.store.save(next);
    this.state = next;
    this.listener?.(next, false);
  }
}

// Execution algorithms as the model sees them: what a strategy asks for (a parent order to be worked in
// slices) and the parent's published state. The algorithms themselves live in execution/algos.

import type { Side, TimestampMs } from './types.js';

export const ALGO_KINDS = ['twap', 'vwap', 'pov'] as const;
export type AlgoKind = (typeof ALGO_KINDS)[number];

export interface AlgoRequest {
  readonly symbol: string;
  readonly side: Side;
  /** Total quantity of the parent. */
  readonly quantity: number;
  readonly algo: AlgoKind;
  /** Epoch ms; default now. */
  readonly start?: TimestampMs;
  /** Epoch ms; at the first bar at or after it the unfilled rest is canceled. Required for VWAP. */
  readonly end?: TimestampMs;
  /** TWAP: number of slices (default 10). */
  readonly slices?: number;
  /** POV: fraction of each bar's volume, 0 < p ≤ 1 (0.1 = 10%). */
  readonly participation?: number;
  /** Children are limit orders at this price; market orders without it. */
  readonly limitPrice?: number;
  /** VWAP: days of history the volume profile averages (default 20). */
  readonly lookbackDays?: number;
}

/** working → completed (all filled) | canceled (by request) | expired (end time or schedule done, rest unfilled). */
export type AlgoStatus = 'working' | 'completed' | 'canceled' | 'expired';

/** One change of a parent's state (the `algoUpdated` event). */
export interface AlgoUpdate {
  /** `algo-N`; children carry it as their tag. */
  readonly id: string;
  readonly strategyId: string | null;
  readonly algo: AlgoKind;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Quantity − filled. */
  readonly remaining: number;
  /** Average price of the children's fills, 0 before the first. */
  readonly avgFillPrice: number;
  readonly status: AlgoStatus;
  /** Ids of every child order, in submission order (denied ones included). */
  readonly childIds: readonly number[];
  /** Children refused by the pre-trade checks or the venue. */
  readonly rejectedChildren: number;
  readonly ts: TimestampMs;
  /** Why this update happened: 'started', 'child #7 filled', 'child #9 denied: RISK_...', 'end time reached', ... */
  readonly reason: string;
}

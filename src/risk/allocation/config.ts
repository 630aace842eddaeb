// AllocationConfig: how the account's capital is split across strategies (the policy, its lookback, the cash
// reserve) and when the split is recomputed (a schedule and/or a drift threshold). Validated with zod at the edge.

import { z } from 'zod';
import { isTimeZone } from '../../core/tz.js';
import { parseConfigWith } from '../config.js';
import { MAX_ALLOCATION_LOOKBACK } from './lookback.js';

export { MAX_ALLOCATION_LOOKBACK };

const lookback = z.number().int().min(2).max(MAX_ALLOCATION_LOOKBACK);

export const allocationConfigSchema = z
  .strictObject({
    policy: z.enum(['equal', 'performance', 'sharpe', 'risk-parity', 'kelly']),
    /** Time steps of per-strategy returns the policy reads (performance, Sharpe, risk parity). */
    lookback: lookback.default(60),
    /** Returns every strategy needs before the policy is used; before that, equal weight. Default: lookback. */
    minHistory: lookback.optional(),
    /** Share of equity left unallocated, percent: weights sum to 1 − cashReservePct/100. */
    cashReservePct: z.number().min(0).max(100).default(0),
    /** Gross exposure a strategy may carry, as a multiple of its allocated capital (RISK_ALLOCATION). */
    leverage: z.number().positive().max(100).default(1),
    /** Strategies that get an allocation; default every strategy the kernel hosts. Others are not limited. */
    strategies: z.array(z.string().min(1)).min(1).optional(),
    rebalance: z
      .strictObject({
        /** Every N time steps. */
        everySteps: z.number().int().positive().optional(),
        /** At the first time-step close of each new market day / week (Monday) / month. */
        calendar: z.enum(['daily', 'weekly', 'monthly']).optional(),
        /** When a strategy's current weight differs from its target by more than this many percentage points. */
        driftPct: z.number().positive().max(100).optional(),
        timeZone: z.string().refine(isTimeZone, { message: 'not a known IANA time zone' }).default('UTC'),
      })
      .default({ timeZone: 'UTC' }),
    kelly: z
      .strictObject({
        /** Multiplier on each strategy's Kelly fraction, in (0, 1]. */
        fraction: z.number().positive().max(1).default(0.5),
        /** Largest Kelly share of one strategy before normalizing, percent. */
        capPct: z.number().positive().max(100).default(25),
        /** Closed trades each strategy needs before its Kelly fraction is trusted. */
        minTrades: z.number().int().min(1).max(100_000).default(20),
      })
      .default({ fraction: 0.5, capPct: 25, minTrades: 20 }),
  })
  .superRefine((c, ctx) => {
    if (c.minHistory !== undefined && c.minHistory > c.lookback) ctx.addIssue({ code: 'custom', path: ['minHistory'], message: 'must be at most lookback' });
  });

export type AllocationConfigInput = z.input<typeof allocationConfigSchema>;
export type AllocationConfig = z.output<typeof allocationConfigSchema>;
export type AllocationPolicyName = AllocationConfig['policy'];

/** Validates an AllocationConfig; PI5_ERR_BAD_CONFIG names the source and each bad field's path. */
export function parseAllocationConfig(input: unknown, source = 'allocation config'): AllocationConfig {
  return parseConfigWith(allocationConfigSchema, input, source);
}

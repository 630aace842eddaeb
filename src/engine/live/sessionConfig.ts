// A trading session's configuration and the kernel it builds: the backtest kernel with the session's cash, costs
// and risk limits, its fills at the next bar's open as in a backtest, and every tracker kept from the start
// because limits and allocation change at run time.

import type { SimulatedClock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { parseCommission } from '../../execution/sim/commission.js';
import { parseSlippage } from '../../execution/sim/slippage.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import type { AllocationConfigInput } from '../../risk/allocation/index.js';
import { parseRiskConfig, type RiskConfigInput } from '../../risk/config.js';
import { DEFAULT_LIMITS, mergeLimits } from '../../risk/limits.js';
import { parseSizeSpec } from '../../risk/sizing.js';
import { Kernel } from '../kernel.js';
import type { StrategyInstanceConfig } from './sessionActions.js';

/** A session's configuration: stored when it is created, and required to match when it is reopened. */
export interface TradingSessionConfig {
  readonly id: string;
  readonly cash: number;
  /** Default size spec for strategies that give none. */
  readonly size: string;
  readonly commission: string;
  readonly slippage: string;
  readonly risk?: RiskConfigInput;
  /** Capital allocation across the session's strategies (docs/risk.md); changed at run time by setAllocation. */
  readonly allocation?: AllocationConfigInput;
  readonly strategies: readonly StrategyInstanceConfig[];
  /** How the feed was built (the server's business); stored and compared, never read here. */
  readonly feed: unknown;
}
export function buildSessionKernel(c: TradingSessionConfig, clock: SimulatedClock, baseTimeframe: TimeframeSpec, log: Logger): Kernel {
  const risk = parseRiskConfig(c.risk ?? {}, `paper session ${c.id} risk config`);
  return new Kernel({
    clock,
    baseTimeframe,
    cash: c.cash,
    sizer: parseSizeSpec(c.size),
    limits: mergeLimits(DEFAULT_LIMITS, risk.global),
    risk: { ...risk, global: {} },
    exchange: { commission: parseCommission(c.commission), slippage: parseSlippage(c.slippage), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
    log,
    clientIdPrefix: `paper-${c.id}`,
    riskMonitor: { lookback: 250, timeZone: 'UTC' },
    // Limits and allocation change at run time (recorded actions): keep every tracker from the start.
    reconfigurable: true,
    ...(c.allocation === undefined ? {} : { allocation: c.allocation }),
  });
}

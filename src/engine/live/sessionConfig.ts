// A trading session's configuration and the kernel it builds: the backtest kernel with the session's cash, costs
// and risk limits, its fills at the next bar's open as in a backtest, and every tracker kept from the start
// because limits and allocation change at run time.

import type { SimulatedClock } from '../../core/clock.js';
import { Pi5Error } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { calendarFor } from '../../data/calendar/marketCalendar.js';
import { simulatedVenue } from '../../execution/venues/sim/index.js';
import { WriteAheadVenue } from '../../execution/venues/writeAhead.js';
import type { VenueFactory } from '../../execution/venues/venue.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import type { PositionMode } from '../../portfolio/strategyPositions.js';
import { parseAllocationConfig, type AllocationConfigInput } from '../../risk/allocation/index.js';
import type { RiskConfigInput } from '../../risk/config.js';
import { DEFAULT_LIMITS, mergeLimits } from '../../risk/limits.js';
import { Kernel } from '../kernel.js';
import { parseRiskSpec } from '../riskSpec.js';
import { parseTradingSpecs } from '../specs.js';
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
  /** Whose position a strategy acts on; absent: `strategy` (its own fills), docs/strategies.md "Positions". */
  readonly positions?: PositionMode;
  /** How the feed was built (the server's business); stored and compared, never read here. */
  readonly feed: unknown;
}
/** The session's kernel and the write-ahead venue in front of its simulated exchange (the session releases orders). */
export interface SessionKernel {
  readonly kernel: Kernel;
  readonly venue: WriteAheadVenue;
}

/** The venue behind the write-ahead journal: the simulated exchange unless the session trades at a broker. */
export function buildSessionKernel(c: TradingSessionConfig, clock: SimulatedClock, baseTimeframe: TimeframeSpec, log: Logger, broker?: VenueFactory): SessionKernel {
  // The config is stored as written (and compared on reopen); its specs are parsed here, once per kernel.
  const risk = parseRiskSpec(c.risk ?? {}, `paper session ${c.id} risk config`);
  const specs = parseTradingSpecs(c);
  let venue: WriteAheadVenue | null = null;
  // Live data carries the exchange's own hours: DAY orders end at the market calendar's close (not at the next
  // day's first bar, which may come after an evening of after-hours bars). Replays keep the backtest rule.
  const live = (c.feed as { kind?: unknown } | null)?.kind === 'live';
  const exchange = broker ?? simulatedVenue({
    commission: specs.commission.build(),
    slippage: specs.slippage.model,
    fillOn: 'open',
    volumeLimitPct: 0,
    ocoBothFill: 'stop-loss',
    ...(live ? { dayOrderClose: (ts: number, symbol: string) => calendarFor(symbol).nextClose(ts) } : {}),
  });
  const kernel = new Kernel({
    clock,
    baseTimeframe,
    cash: c.cash,
    sizer: specs.size.sizer,
    limits: mergeLimits(DEFAULT_LIMITS, risk.global),
    risk: { ...risk, global: {} },
    venue: WriteAheadVenue.around(exchange, (v) => {
      venue = v;
    }),
    log,
    clientIdPrefix: `paper-${c.id}`,
    riskMonitor: { lookback: 250, timeZone: 'UTC' },
    // Limits and allocation change at run time (recorded actions): keep every tracker from the start.
    reconfigurable: true,
    ...(c.allocation === undefined ? {} : { allocation: parseAllocationConfig(c.allocation) }),
    ...(c.positions === undefined ? {} : { positionMode: c.positions }),
  });
  if (venue === null) throw new Pi5Error('PI5_ERR_INTERNAL', `paper session ${c.id}: the kernel built no venue`);
  return { kernel, venue };
}

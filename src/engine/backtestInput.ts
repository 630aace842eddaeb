// What a backtest run takes: data, strategy and parameters, money, costs, fill rules, risk limits and range.

import type { Logger } from '../core/log.js';
import type { BarSeries } from '../model/barSeries.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';
import type { RiskConfig } from '../risk/config.js';
import type { RiskStateStore } from '../risk/killSwitch.js';
import type { RiskLimits } from '../risk/limits.js';
import type { RiskMonitorConfig } from '../risk/monitor.js';
import type { StrategyDefinition } from '../strategy/api.js';
import type { RawParams } from '../strategy/params.js';
import type { CommissionSpec, SizeSpec, SlippageSpec } from './specs.js';

export interface BacktestInput {
  readonly series: readonly BarSeries[];
  readonly strategy: StrategyDefinition;
  readonly params?: RawParams;
  readonly cash?: number;
  /** Parsed at the edge (engine/specs.ts); default 100 shares, no commission, no slippage. */
  readonly size?: SizeSpec;
  readonly commission?: CommissionSpec;
  readonly slippage?: SlippageSpec;
  readonly fillOn?: 'open' | 'close';
  readonly volumeLimitPct?: number;
  readonly ocoBothFill?: 'stop-loss' | 'take-profit';
  /** Shortcut limits (e.g. --leverage); they win over `risk.global`. */
  readonly limits?: Partial<RiskLimits>;
  /** Pre-trade limits (global, per strategy, per symbol), groups and kill-switch options, parsed at the edge (parseRiskSpec). */
  readonly risk?: RiskConfig;
  /** Kill-switch state store; default in memory. A file store makes the switch survive across runs. */
  readonly riskStore?: RiskStateStore;
  /** Real-time risk monitor (exposure, daily P&L, drawdown, VaR/ES, HHI, beta); off unless given. */
  readonly riskMonitor?: RiskMonitorConfig;
  readonly periodsPerYear?: number;
  readonly riskFreeRate?: number;
  readonly seed?: number;
  /** Inclusive range, epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** Symbol of one of the series (or a separate series) to compare against. */
  readonly benchmark?: BarSeries;
  /** Exchange time zone for intraday session logic (DAY orders). Daily bars use their UTC date. */
  readonly timeZone?: string;
  readonly dataSources?: readonly string[];
  /** Which adjusted form of the prices `series` holds (the caller adjusted them); reported in the config. Default 'none'. */
  readonly adjustment?: PriceAdjustment;
  readonly log?: Logger;
  readonly onProgress?: (done: number, total: number) => void;
}

// Real-time risk monitor: at time-step closes it measures exposure, daily P&L, drawdown, historical VaR and
// expected shortfall, concentration and beta, publishes a riskSnapshot and keeps one snapshot a day.
// Built only when configured, so runs without it pay nothing.

import { Pi5Error } from '../core/errors.js';
import { localDayKey } from '../core/tz.js';
import type { RiskSnapshot, SymbolExposure } from '../model/events.js';
import type { OpenPositionReport } from '../model/types.js';
import { BetaWindow } from './monitor/betaWindow.js';
import { ReturnWindow } from './monitor/returnWindow.js';
import { EquityTracker } from './trackers.js';

export interface RiskMonitorConfig {
  /** Step returns in the rolling VaR / ES and beta windows. */
  readonly lookback: number;
  /** Measure at every N-th time-step close (default 1: every step). The windows see every step regardless. */
  readonly every?: number;
  /** Symbol (one of the run's) whose returns beta is measured against. */
  readonly benchmark?: string;
  /** Zone whose midnight starts a day, for daily P&L and the one-a-day snapshots kept; default UTC. */
  readonly timeZone?: string;
}

export interface RiskMonitorSources {
  readonly portfolio: { equity(): number; openPositionReports(): readonly OpenPositionReport[] };
  readonly lastClose: (symbol: string) => number;
  /** Throws for a symbol the session does not know (the benchmark is checked at the first close). */
  readonly checkSymbol: (symbol: string) => void;
  readonly publish: (snapshot: RiskSnapshot) => void;
}

const TAILS = { p95: 0.05, p99: 0.01 } as const;

function validate(config: RiskMonitorConfig): { lookback: number; every: number; timeZone: string } {
  const { lookback, every = 1, timeZone = 'UTC' } = config;
  if (!Number.isInteger(lookback) || lookback < 2) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `riskMonitor.lookback: ${lookback} is not an integer ≥ 2`, { lookback });
  }
  if (!Number.isInteger(every) || every < 1) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `riskMonitor.every: ${every} is not an integer ≥ 1`, { every });
  }
  try {
    localDayKey(0, timeZone);
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `riskMonitor.timeZone: unknown time zone ${JSON.stringify(timeZone)}`, { timeZone, cause: String(e) });
  }
  return { lookback, every, timeZone };
}

export class RiskMonitor {
  private readonly every: number;
  private readonly timeZone: string;
  private readonly benchmark: string | null;
  private readonly equityMarks: EquityTracker;
  private readonly returns: ReturnWindow;
  private readonly betas: BetaWindow | null;
  private readonly kept: RiskSnapshot[] = [];
  private keptDay = NaN;
  private previousEquity: number;
  private closes = 0;
  private untilNext: number;

  constructor(config: RiskMonitorConfig, startEquity: number, private readonly sources: RiskMonitorSources) {
    const { lookback, every, timeZone } = validate(config);
    this.every = every;
    this.untilNext = every;
    this.timeZone = timeZone;
    this.benchmark = config.benchmark ?? null;
    this.equityMarks = new EquityTracker(startEquity, timeZone);
    this.returns = new ReturnWindow(lookback);
    this.betas = this.benchmark === null ? null : new BetaWindow(lookback);
    this.previousEquity = startEquity;
  }

  /** Snapshots kept for the record: the last one measured on each local day, in time order. */
  get snapshots(): readonly RiskSnapshot[] {
    return this.kept;
  }

  /** Every bar at `ts` is booked: update the windows, and measure when this is an N-th close. */
  timeStepClosed(ts: number): void {
    const step = this.closes++;
    if (step === 0 && this.benchmark !== null) this.sources.checkSymbol(this.benchmark);
    const equity = this.sources.portfolio.equity();
    this.equityMarks.onClose(ts, equity);
    const r = (equity - this.previousEquity) / this.previousEquity;
    // A return off zero equity means nothing and would poison the sorted window; it is left out.
    if (Number.isFinite(r)) this.returns.push(r);
    this.previousEquity = equity;
    if (this.betas !== null && this.benchmark !== null) this.betas.push(equity, this.sources.lastClose(this.benchmark));
    if (--this.untilNext > 0) return;
    this.untilNext = this.every;
    const snapshot = this.measure(ts, step, equity);
    this.sources.publish(snapshot);
    this.keep(snapshot);
  }

  private keep(snapshot: RiskSnapshot): void {
    const day = localDayKey(snapshot.ts, this.timeZone);
    if (day === this.keptDay) this.kept[this.kept.length - 1] = snapshot;
    else this.kept.push(snapshot);
    this.keptDay = day;
  }

  private measure(ts: number, step: number, equity: number): RiskSnapshot {
    const exposures: SymbolExposure[] = [];
    let gross = 0;
    let net = 0;
    for (const p of this.sources.portfolio.openPositionReports()) {
      const quantity = p.side === 'long' ? p.quantity : -p.quantity;
      const exposure = quantity * p.lastPrice;
      exposures.push({ symbol: p.symbol, quantity, lastPrice: p.lastPrice, exposure, fractionOfEquity: exposure / equity });
      gross += Math.abs(exposure);
      net += exposure;
    }
    let hhi = 0;
    if (gross > 0) {
      for (const e of exposures) hhi += (e.exposure / gross) ** 2;
    }
    const peak = this.equityMarks.peakEquity;
    const t95 = this.returns.tail(TAILS.p95);
    const t99 = this.returns.tail(TAILS.p99);
    return {
      ts,
      step,
      equity,
      exposures,
      grossExposure: gross,
      netExposure: net,
      grossFraction: gross / equity,
      netFraction: net / equity,
      dailyPnl: equity - this.equityMarks.dayStartEquity(ts),
      peakEquity: peak,
      drawdown: peak > 0 ? Math.max(0, (peak - equity) / peak) : 0,
      windowReturns: this.returns.length,
      var95: t95?.valueAtRisk ?? null,
      es95: t95?.expectedShortfall ?? null,
      var99: t99?.valueAtRisk ?? null,
      es99: t99?.expectedShortfall ?? null,
      hhi,
      beta: this.betas?.beta() ?? null,
    };
  }
}

// Builds the kernel's risk engine and risk monitor from its parts (the sources the checks read), and turns a
// kill-switch state into the riskStateChanged event. Kept apart so the kernel file stays about wiring order.

import type { MessageBus } from '../core/bus.js';
import type { KernelEvents, RiskStateChange } from '../model/events.js';
import type { OrderManager } from '../execution/oms.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { RiskConfig } from '../risk/config.js';
import { MemoryRiskStateStore, type KillSwitchState, type RiskStateStore } from '../risk/killSwitch.js';
import type { RiskLimits } from '../risk/limits.js';
import { RiskMonitor, type RiskMonitorConfig } from '../risk/monitor.js';
import { RiskEngine } from '../risk/riskEngine.js';
import type { MarketState } from './marketState.js';

export interface RiskParts {
  readonly portfolio: Portfolio;
  readonly market: MarketState;
  readonly oms: OrderManager;
  readonly now: () => number;
}

export function createRiskEngine(config: RiskConfig, limits: RiskLimits, store: RiskStateStore | undefined, cash: number, keepTrackers: boolean, p: RiskParts): RiskEngine {
  const market = p.market;
  return new RiskEngine({
    config,
    baseLimits: limits,
    store: store ?? new MemoryRiskStateStore(),
    startEquity: cash,
    keepTrackers,
    sources: {
      portfolio: p.portfolio,
      openOrders: () => p.oms.openOrders(),
      lastPrice: (s) => market.lastClose(s),
      history: (s) => market.history(s),
      timeZone: (s) => market.instrument(s).timeZone,
      now: p.now,
    },
  });
}

/** Measures at each time-step close (subscribed here: call after the kill switch's close handler). */
export function createRiskMonitor(config: RiskMonitorConfig, cash: number, bus: MessageBus<KernelEvents>, portfolio: Portfolio, market: MarketState): RiskMonitor {
  const monitor = new RiskMonitor(config, cash, {
    portfolio,
    lastClose: (s) => market.lastClose(s),
    checkSymbol: (s) => {
      market.instrument(s);
    },
    publish: bus.publisher('riskSnapshot'),
  });
  bus.subscribe('timeStepClosed', (ts) => monitor.timeStepClosed(ts));
  return monitor;
}

export function riskStateChange(state: KillSwitchState, restored: boolean, now: number): RiskStateChange {
  return {
    ts: restored ? now : state.changedAt,
    killSwitch: state.tripped ? 'tripped' : 'reset',
    reason: state.reason,
    by: state.changedBy,
    restored,
  };
}

// Connects a capital allocator to a kernel's bus and state: it books each strategy's fills and marks them at
// each time-step close. Only kernels that allocate (or may, when reconfigurable) create one, so backtests
// without an allocation pay nothing per bar or fill.

import type { MessageBus } from '../core/bus.js';
import type { KernelEvents } from '../model/events.js';
import type { OrderManager } from '../execution/oms.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { CapitalAllocator } from '../risk/allocation/allocator.js';
import type { MarketState } from './marketState.js';

export function createAllocator(
  bus: MessageBus<KernelEvents>,
  portfolio: Portfolio,
  market: MarketState,
  oms: OrderManager,
  hosts: () => readonly { readonly strategyId: string }[],
): CapitalAllocator {
  const a = new CapitalAllocator({
    equity: () => portfolio.equity(),
    cash: () => portfolio.cash(),
    lastPrice: (s) => market.lastClose(s),
    strategies: () => hosts().map((h) => h.strategyId),
    openOrders: () => oms.openOrders(),
  });
  bus.subscribe('orderFilled', (f) => a.filled(f));
  bus.subscribe('timeStepClosed', (ts) => a.timeStepClosed(ts));
  return a;
}

// RISK_ALLOCATION: a strategy's gross exposure (its own positions, its working orders that would add exposure,
// and this order) must stay within its allocated capital × the allocation's leverage. Orders that only shrink
// the strategy's own position pass. With no price yet the check is skipped, like buying power.

import type { Order, OrderRequest } from '../../model/types.js';
import { EPS, describe, exposurePrice, money, type Denial } from '../checks/types.js';
import type { StrategyBook } from './strategyBook.js';

export interface AllocationCheckInput {
  readonly strategyId: string;
  readonly capital: number;
  readonly target: number;
  readonly equity: number;
  readonly leverage: number;
  readonly book: StrategyBook;
  readonly lastPrice: (symbol: string) => number;
  readonly openOrders: readonly Order[];
}

const isExit = (o: Order): boolean => o.role === 'take-profit' || o.role === 'stop-loss';

export function checkAllocation(req: OrderRequest, a: AllocationCheckInput): Denial | null {
  const price = exposurePrice(req.side, req.limitPrice, req.stopPrice, a.lastPrice(req.symbol));
  if (!Number.isFinite(price)) return null;
  const id = a.strategyId;
  let pendingBuy = 0;
  let pendingSell = 0;
  let pendingExposure = 0;
  for (const o of a.openOrders) {
    if (o.strategyId !== id || isExit(o)) continue;
    const remaining = o.quantity - o.filledQuantity;
    if (o.symbol === req.symbol) {
      if (o.side === 'buy') pendingBuy += remaining;
      else pendingSell += remaining;
    }
    const held = a.book.quantity(id, o.symbol);
    // Orders on the side that grows the strategy's position commit exposure; a reducing one only past flat.
    const committed = (o.side === 'buy' ? held >= 0 : held <= 0) ? remaining : Math.max(0, remaining - Math.abs(held));
    if (committed === 0) continue;
    const p = exposurePrice(o.side, o.limitPrice, o.stopPrice, a.lastPrice(o.symbol));
    if (Number.isFinite(p)) pendingExposure += committed * p;
  }
  const position = a.book.quantity(id, req.symbol);
  const before = req.side === 'buy' ? position + pendingBuy : position - pendingSell;
  const after = before + (req.side === 'buy' ? req.quantity : -req.quantity);
  if (Math.abs(after) <= Math.abs(before)) return null;
  const gross = a.book.grossExposure(id, a.lastPrice) + pendingExposure + (Math.abs(after) - Math.abs(before)) * price;
  const limit = a.capital * a.leverage;
  if (gross <= limit + EPS) return null;
  return {
    code: 'RISK_ALLOCATION',
    message:
      `strategy ${id}: ${describe(req)} at ~${price} would bring its gross exposure to ${money(gross)}` +
      `${pendingExposure > 0 ? ' (working orders included)' : ''}; its allocation is ${money(a.capital)} ` +
      `(${(a.target * 100).toFixed(2)}% of equity ${money(a.equity)})${a.leverage === 1 ? '' : ` × leverage ${a.leverage} = ${money(limit)}`}`,
  };
}

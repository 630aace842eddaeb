// A fill a broker reported, in our model: the broker's price on the price-unit grid (brokers quote at most 8
// decimals, so the grid holds it exactly), no commission (stock brokers here charge none; a broker that does
// reports it apart), no modelled slippage (the market's is in the price).

import { toPu } from '../model/money.js';
import type { Fill, Order } from '../model/types.js';

export function brokerFill(o: Order, quantity: number, price: number, ts: number): Fill {
  const pricePu = toPu(price);
  return { orderId: o.id, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity, price: pricePu / 1e8, pricePu, commissionPu: 0, slippagePu: 0, ts, liquidity: 'taker', strategyId: o.strategyId };
}

// Shape checks for an order request, done once where orders are created: each failure names the field.

import { Pi5Error } from '../core/errors.js';
import { ORDER_TYPES, TIME_IN_FORCE, type OrderRequest, type TimeInForce } from '../model/types.js';

function bad(req: OrderRequest, field: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_ORDER', `order ${req.side} ${req.quantity} ${req.symbol}: ${field} ${message}`, {
    field,
    symbol: req.symbol,
  });
}

function positive(req: OrderRequest, field: 'limitPrice' | 'stopPrice' | 'trailAmount' | 'trailPercent'): void {
  const v = req[field];
  if (v === undefined || !Number.isFinite(v) || v <= 0) throw bad(req, field, `must be a positive number, got ${String(v)}`);
}

/** Opening (OPG) and closing (CLS) auction orders: market or limit only, and only where a venue has auctions. */
export function isAuctionTif(tif: TimeInForce): boolean {
  return tif === 'OPG' || tif === 'CLS';
}

export function validateOrderRequest(req: OrderRequest): void {
  if (typeof req.symbol !== 'string' || req.symbol === '') throw bad(req, 'symbol', 'is required');
  if (req.side !== 'buy' && req.side !== 'sell') throw bad(req, 'side', `must be buy or sell, got ${String(req.side)}`);
  if (!Number.isSafeInteger(req.quantity) || req.quantity <= 0) {
    throw bad(req, 'quantity', `must be a positive whole number, got ${String(req.quantity)}`);
  }
  const type = req.type ?? 'market';
  if (!ORDER_TYPES.includes(type)) throw bad(req, 'type', `must be one of ${ORDER_TYPES.join(', ')}`);
  if (req.tif !== undefined && !TIME_IN_FORCE.includes(req.tif)) throw bad(req, 'tif', `must be one of ${TIME_IN_FORCE.join(', ')}`);
  if (req.tif !== undefined && isAuctionTif(req.tif) && type !== 'market' && type !== 'limit') {
    throw bad(req, 'tif', `${req.tif} (an auction order) needs type market or limit, got ${type}`);
  }
  if (type === 'limit' || type === 'stop-limit') positive(req, 'limitPrice');
  if (type === 'stop' || type === 'stop-limit') positive(req, 'stopPrice');
  if (type === 'trailing-stop') {
    const hasAmount = req.trailAmount !== undefined;
    const hasPercent = req.trailPercent !== undefined;
    if (hasAmount === hasPercent) throw bad(req, 'trailAmount', 'or trailPercent (exactly one) is required for a trailing stop');
    positive(req, hasAmount ? 'trailAmount' : 'trailPercent');
  }
}

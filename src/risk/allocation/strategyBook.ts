// Each strategy's own book inside the shared account, kept from fills: signed quantity and average entry per
// symbol, the cash its fills moved, and the closed parts of its positions (for Kelly). Manual orders
// (strategy null) are not booked. Marks come from the caller's last prices.

import type { Fill } from '../../model/types.js';
import type { TradeOutcome } from '../sizing/types.js';

const PU = 1e8;
/** Closed trades kept per strategy (the most recent): bounds memory in long sessions. */
const MAX_TRADES = 10_000;

interface Leg {
  qty: number;
  avgPrice: number;
}

interface Book {
  readonly legs: Map<string, Leg>;
  cashFlow: number;
  trades: TradeOutcome[];
}

export class StrategyBook {
  private readonly books = new Map<string, Book>();

  private book(id: string): Book {
    let b = this.books.get(id);
    if (b === undefined) {
      b = { legs: new Map(), cashFlow: 0, trades: [] };
      this.books.set(id, b);
    }
    return b;
  }

  filled(f: Fill): void {
    if (f.strategyId === null) return;
    const b = this.book(f.strategyId);
    const price = f.pricePu / PU;
    const commission = f.commissionPu / PU;
    const signed = f.side === 'buy' ? f.quantity : -f.quantity;
    b.cashFlow += -signed * price - commission;
    const leg = b.legs.get(f.symbol) ?? { qty: 0, avgPrice: 0 };
    let rest = signed;
    if (leg.qty !== 0 && Math.sign(leg.qty) !== Math.sign(signed)) {
      // The part that closes (some of) the position is a trade; its share of the commission goes with it.
      const closed = Math.min(Math.abs(leg.qty), Math.abs(signed));
      const pnl = (price - leg.avgPrice) * closed * Math.sign(leg.qty) - (commission * closed) / f.quantity;
      b.trades.push({ quantity: closed, entryPrice: leg.avgPrice, pnl });
      if (b.trades.length > MAX_TRADES * 2) b.trades = b.trades.slice(-MAX_TRADES);
      leg.qty += Math.sign(signed) * closed;
      rest = signed - Math.sign(signed) * closed;
      if (leg.qty === 0) leg.avgPrice = 0;
    }
    if (rest !== 0) {
      const q = leg.qty + rest;
      leg.avgPrice = (leg.avgPrice * Math.abs(leg.qty) + price * Math.abs(rest)) / Math.abs(q);
      leg.qty = q;
    }
    b.legs.set(f.symbol, leg);
  }

  quantity(id: string, symbol: string): number {
    return this.books.get(id)?.legs.get(symbol)?.qty ?? 0;
  }

  /** Mark-to-market P&L since the strategy's first fill: cash flow plus positions at `price`. */
  pnl(id: string, price: (symbol: string) => number): number {
    const b = this.books.get(id);
    if (b === undefined) return 0;
    let value = 0;
    for (const [symbol, leg] of b.legs) if (leg.qty !== 0) value += leg.qty * price(symbol);
    return b.cashFlow + value;
  }

  /** Σ |quantity × price| over the strategy's positions. */
  grossExposure(id: string, price: (symbol: string) => number): number {
    const b = this.books.get(id);
    if (b === undefined) return 0;
    let gross = 0;
    for (const [symbol, leg] of b.legs) if (leg.qty !== 0) gross += Math.abs(leg.qty * price(symbol));
    return gross;
  }

  trades(id: string): readonly TradeOutcome[] {
    const t = this.books.get(id)?.trades ?? [];
    return t.length > MAX_TRADES ? t.slice(-MAX_TRADES) : t;
  }
}

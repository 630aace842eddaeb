// Each strategy's own book inside the shared account, kept from fills: signed quantity and average entry per
// symbol, the cash its fills moved, its fill count, and the closed parts of its positions (for Kelly), as the
// allocator needs them. Manual orders (strategy null) belong to no allocation and are not booked. Marks come
// from the caller's last prices. (What the API shows per strategy comes from the kernel's exact books,
// portfolio/strategyPositions.ts.)

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
  fills: number;
  trades: TradeOutcome[];
}

export class StrategyBook {
  private readonly books = new Map<string, Book>();

  private book(id: string): Book {
    let b = this.books.get(id);
    if (b === undefined) {
      b = { legs: new Map(), cashFlow: 0, fills: 0, trades: [] };
      this.books.set(id, b);
    }
    return b;
  }

  filled(f: Fill): void {
    const id = f.strategyId;
    if (id === null) return;
    const b = this.book(id);
    b.fills++;
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

  /** Ids with a book (strategies, and the manual id when given), in order of their first fill. */
  ids(): string[] {
    return [...this.books.keys()];
  }

  fills(id: string): number {
    return this.books.get(id)?.fills ?? 0;
  }

  /** Σ quantity × price over the strategy's positions (signed: shorts count negative). */
  marketValue(id: string, price: (symbol: string) => number): number {
    const b = this.books.get(id);
    if (b === undefined) return 0;
    let value = 0;
    for (const [symbol, leg] of b.legs) if (leg.qty !== 0) value += leg.qty * price(symbol);
    return value;
  }

  /** Mark-to-market P&L since the strategy's first fill: cash flow plus positions at `price`. */
  pnl(id: string, price: (symbol: string) => number): number {
    const b = this.books.get(id);
    return b === undefined ? 0 : b.cashFlow + this.marketValue(id, price);
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

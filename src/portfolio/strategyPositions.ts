// Positions attributed to who opened them: one exact book (a Portfolio with no cash of its own) per strategy
// instance, and one for orders placed by hand. The account still nets every fill in the kernel's Portfolio;
// these books say whose shares they are, so a strategy's close never sells what it did not buy.

import type { ClosedTrade, Fill, PositionView } from '../model/types.js';
import { Portfolio } from './portfolio.js';

/**
 * How a strategy sees its position in a symbol. `strategy` (the default): its own fills only, as
 * NautilusTrader's HEDGING OMS keeps a position per strategy; `netting`: the account's net position,
 * whoever traded it (one position per symbol, as a single-strategy account sees it).
 */
export type PositionMode = 'strategy' | 'netting';
export const POSITION_MODES: readonly PositionMode[] = ['strategy', 'netting'];
export const DEFAULT_POSITION_MODE: PositionMode = 'strategy';

/** The book of orders placed by hand (API), which belong to no strategy; instance ids cannot contain parentheses. */
export const MANUAL_ORDERS = '(manual)';

/** One attributed position: whose it is and its state at the last price. */
export interface StrategyPositionRow extends PositionView {
  /** The strategy instance id, or MANUAL_ORDERS for orders placed by hand. */
  readonly owner: string;
}

export class StrategyPositions {
  private readonly books = new Map<string, Portfolio>();
  private readonly fillCounts = new Map<string, number>();

  /** Books a fill into its owner's book (after the account's own booking, with the same bar index). */
  applyFill(fill: Fill, barIndex: number): void {
    const owner = fill.strategyId ?? MANUAL_ORDERS;
    let book = this.books.get(owner);
    if (book === undefined) {
      book = new Portfolio(0);
      this.books.set(owner, book);
    }
    book.applyFill(fill, barIndex);
    this.fillCounts.set(owner, (this.fillCounts.get(owner) ?? 0) + 1);
  }

  /** How many fills the owner has had. */
  fills(owner: string | null): number {
    return this.fillCounts.get(owner ?? MANUAL_ORDERS) ?? 0;
  }

  /** Σ quantity × last mark over the owner's open positions (signed: shorts count negative). */
  marketValue(owner: string | null): number {
    const book = this.books.get(owner ?? MANUAL_ORDERS);
    return book === undefined ? 0 : book.equity() - book.cash();
  }

  /** Signed quantity the owner (a strategy id, or null for manual orders) holds in `symbol`. */
  quantity(owner: string | null, symbol: string): number {
    return this.books.get(owner ?? MANUAL_ORDERS)?.quantity(symbol) ?? 0;
  }

  /** Marks every book's position in `symbol` (the kernel calls it with the account's own mark, so both agree). */
  mark(symbol: string, price: number): void {
    for (const book of this.books.values()) book.mark(symbol, price);
  }

  /** The owner's position in `symbol` at its last mark, exactly as the account's Portfolio.view would show it. */
  view(owner: string | null, symbol: string): PositionView {
    const book = this.books.get(owner ?? MANUAL_ORDERS);
    if (book === undefined) return { symbol, quantity: 0, avgPrice: 0, realizedPnl: 0, unrealizedPnl: 0, lastPrice: NaN };
    return book.view(symbol);
  }

  /** Owners with a book, in order of their first fill. */
  owners(): string[] {
    return [...this.books.keys()];
  }

  /** The owner's closed round trips (its own entries and exits), in exit order. */
  trades(owner: string | null): readonly ClosedTrade[] {
    return this.books.get(owner ?? MANUAL_ORDERS)?.trades ?? [];
  }

  /** Every owner's positions in the symbols it ever traded (flat ones kept: they carry realized P&L). */
  rows(symbols: readonly string[]): StrategyPositionRow[] {
    const out: StrategyPositionRow[] = [];
    for (const owner of this.books.keys()) {
      for (const symbol of symbols) {
        const v = this.view(owner, symbol);
        if (v.quantity !== 0 || v.realizedPnl !== 0) out.push({ owner, ...v });
      }
    }
    return out;
  }

  /** The owner's P&L after every cost: its fills' cash flow plus its positions at their last marks (Σ over owners = account equity − starting cash). */
  pnl(owner: string | null): number {
    return this.books.get(owner ?? MANUAL_ORDERS)?.equity() ?? 0;
  }
}

// Positions, cash and P&L. Cash, cost and realized P&L are exact bigint price units; equity is a float
// mark (cash + Σ quantity × last close) taken at each bar's close. Round trips become ClosedTrades.

import { removeAt } from '../core/removeAt.js';
import { divRoundPu, mulDivRound, notionalPu, puToNumber } from '../model/money.js';
import type { ClosedTrade, Fill, OpenPositionReport, PositionView } from '../model/types.js';
import { TradeLog } from './tradeLog.js';

interface PositionState {
  readonly symbol: string;
  quantity: number;
  /** Signed cost of the open quantity (negative for shorts), in pu. */
  costPu: bigint;
  entryCommissionPu: bigint;
  entrySlippagePu: bigint;
  entryTime: number;
  entryBar: number;
  lastPrice: number;
  realizedPu: bigint;
}

export class Portfolio {
  private cashPu: bigint;
  private cashFloat: number;
  private readonly positions = new Map<string, PositionState>();
  private readonly openPositions: PositionState[] = [];
  private readonly tradeLog = new TradeLog();
  private commissionsPu = 0n;
  private slippagePu = 0n;
  private tradedNotional = 0;
  /** One-entry cache for mark(): consecutive bars of one symbol skip the map lookup. */
  private markSymbol = '';
  private markPosition: PositionState | undefined = undefined;

  constructor(startingCash: number) {
    this.cashPu = BigInt(Math.round(startingCash * 100)) * 1_000_000n;
    this.cashFloat = puToNumber(this.cashPu);
  }

  cash(): number {
    return this.cashFloat;
  }

  /** Closed trades so far, in exit order. */
  get trades(): readonly ClosedTrade[] {
    return this.tradeLog.toArray();
  }

  get tradeCount(): number {
    return this.tradeLog.length;
  }

  cashExactPu(): bigint {
    return this.cashPu;
  }

  equity(): number {
    let e = this.cashFloat;
    for (const p of this.openPositions) e += p.quantity * p.lastPrice;
    return e;
  }

  /** Sum of |quantity| × last price over open positions. */
  grossExposure(): number {
    let g = 0;
    for (const p of this.openPositions) g += Math.abs(p.quantity * p.lastPrice);
    return g;
  }

  hasOpenPositions(): boolean {
    return this.openPositions.length > 0;
  }

  quantity(symbol: string): number {
    return this.positions.get(symbol)?.quantity ?? 0;
  }

  mark(symbol: string, price: number): void {
    if (symbol !== this.markSymbol) {
      this.markSymbol = symbol;
      this.markPosition = this.positions.get(symbol);
    }
    if (this.markPosition !== undefined) this.markPosition.lastPrice = price;
  }

  lastPrice(symbol: string): number {
    return this.positions.get(symbol)?.lastPrice ?? NaN;
  }

  totals(): { commissions: number; slippage: number; tradedNotional: number } {
    return { commissions: puToNumber(this.commissionsPu), slippage: puToNumber(this.slippagePu), tradedNotional: this.tradedNotional };
  }

  view(symbol: string): PositionView {
    const p = this.positions.get(symbol);
    if (!p) return { symbol, quantity: 0, avgPrice: 0, realizedPnl: 0, unrealizedPnl: 0, lastPrice: NaN };
    return {
      symbol,
      quantity: p.quantity,
      avgPrice: p.quantity === 0 ? 0 : puToNumber(p.costPu) / p.quantity,
      realizedPnl: puToNumber(p.realizedPu),
      unrealizedPnl: p.quantity === 0 ? 0 : p.quantity * p.lastPrice - puToNumber(p.costPu),
      lastPrice: p.lastPrice,
    };
  }

  openPositionReports(): OpenPositionReport[] {
    return this.openPositions.map((p) => {
      const v = this.view(p.symbol);
      return {
        symbol: p.symbol,
        side: p.quantity > 0 ? 'long' : 'short',
        quantity: Math.abs(p.quantity),
        entryTime: p.entryTime,
        avgPrice: v.avgPrice,
        lastPrice: p.lastPrice,
        unrealizedPnl: v.unrealizedPnl,
      };
    });
  }

  /** Books a fill: cash, position, and a ClosedTrade for every quantity that goes back towards flat. */
  applyFill(fill: Fill, barIndex: number): void {
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    const value = notionalPu(signed, fill.pricePu);
    const commission = fill.commissionPu === 0 ? 0n : BigInt(fill.commissionPu);
    const slippage = fill.slippagePu === 0 ? 0n : BigInt(fill.slippagePu);
    this.cashPu -= commission === 0n ? value : value + commission;
    this.cashFloat = puToNumber(this.cashPu);
    if (commission !== 0n) this.commissionsPu += commission;
    if (slippage !== 0n) this.slippagePu += slippage;
    this.tradedNotional += Math.abs(fill.quantity * fill.price);

    const p = this.position(fill.symbol, fill.price);
    let open = fill.quantity;
    let commLeft = commission;
    let slipLeft = slippage;
    if (p.quantity !== 0 && Math.sign(p.quantity) !== Math.sign(signed)) {
      const closing = Math.min(open, Math.abs(p.quantity));
      // Split the fill's costs between the part that closes and the part that opens (a reversal).
      const exitComm = closing === open ? commission : mulDivRound(commission, BigInt(closing), BigInt(open));
      const exitSlip = closing === open ? slippage : mulDivRound(slippage, BigInt(closing), BigInt(open));
      this.closePart(p, closing, fill, exitComm, exitSlip, barIndex);
      open -= closing;
      commLeft -= exitComm;
      slipLeft -= exitSlip;
    }
    if (open > 0) {
      if (p.quantity === 0) {
        p.entryTime = fill.ts;
        p.entryBar = barIndex;
        this.openPositions.push(p);
      }
      const q = signed > 0 ? open : -open;
      p.quantity += q;
      p.costPu += q === signed ? value : notionalPu(q, fill.pricePu);
      if (commLeft !== 0n) p.entryCommissionPu += commLeft;
      if (slipLeft !== 0n) p.entrySlippagePu += slipLeft;
    }
  }

  private position(symbol: string, price: number): PositionState {
    let p = this.positions.get(symbol);
    if (!p) {
      p = {
        symbol,
        quantity: 0,
        costPu: 0n,
        entryCommissionPu: 0n,
        entrySlippagePu: 0n,
        entryTime: 0,
        entryBar: 0,
        lastPrice: price,
        realizedPu: 0n,
      };
      this.positions.set(symbol, p);
      this.markSymbol = '';
    }
    return p;
  }

  private closePart(p: PositionState, qty: number, fill: Fill, exitComm: bigint, exitSlip: bigint, barIndex: number): void {
    // A full close (the common case) takes everything; a partial one takes its pro-rata share, exactly.
    const full = qty === Math.abs(p.quantity);
    const held = full ? 1n : BigInt(Math.abs(p.quantity));
    const part = full ? 1n : BigInt(qty);
    const costPart = mulDivRound(p.costPu, part, held);
    const entryComm = p.entryCommissionPu === 0n ? 0n : mulDivRound(p.entryCommissionPu, part, held);
    const entrySlip = p.entrySlippagePu === 0n ? 0n : mulDivRound(p.entrySlippagePu, part, held);
    const sign = p.quantity > 0 ? 1 : -1;
    const pnl = notionalPu(sign * qty, fill.pricePu) - costPart - entryComm - exitComm;
    p.realizedPu += pnl;
    this.tradeLog.add({
      symbol: p.symbol,
      side: sign > 0 ? 'long' : 'short',
      quantity: qty,
      entryTime: p.entryTime,
      // Rounded to 1 pu: the exact average can be a repeating decimal.
      entryPrice: puToNumber(divRoundPu(sign > 0 ? costPart : -costPart, qty)),
      exitTime: fill.ts,
      exitPrice: fill.price,
      pnl: puToNumber(pnl),
      commission: puToNumber(entryComm + exitComm),
      slippage: puToNumber(entrySlip + exitSlip),
      entryBar: p.entryBar,
      exitBar: barIndex,
    });
    p.quantity -= sign * qty;
    p.costPu -= costPart;
    p.entryCommissionPu -= entryComm;
    p.entrySlippagePu -= entrySlip;
    if (p.quantity === 0) {
      removeAt(this.openPositions, this.openPositions.indexOf(p));
    }
  }
}

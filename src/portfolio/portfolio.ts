// Positions, cash and P&L. Cash, cost and realized P&L are exact integer price units (PuAmount: a double
// while safe, a bigint beyond 2^53); equity is a float mark (cash + Σ quantity × last close) taken at each
// bar's close. Round trips become ClosedTrades.

import { removeAt } from '../core/removeAt.js';
import { divRoundPu, puToNumber } from '../model/money.js';
import { addPu, mulDivPu, negPu, notionalAmount, puAmount, subPu, toBigPu, type PuAmount } from '../model/puAmount.js';
import type { ClosedTrade, Fill, OpenPositionReport, PositionView } from '../model/types.js';
import { TradeLog } from './tradeLog.js';

interface PositionState {
  readonly symbol: string;
  quantity: number;
  /** Signed cost of the open quantity (negative for shorts), in pu. */
  costPu: PuAmount;
  entryCommissionPu: PuAmount;
  entrySlippagePu: PuAmount;
  entryTime: number;
  entryBar: number;
  lastPrice: number;
  realizedPu: PuAmount;
}

export class Portfolio {
  private cashPu: PuAmount;
  private cashFloat: number;
  private readonly positions = new Map<string, PositionState>();
  private readonly openPositions: PositionState[] = [];
  private readonly tradeLog = new TradeLog();
  private commissionsPu: PuAmount = 0;
  private slippagePu: PuAmount = 0;
  private tradedNotional = 0;
  /** One-entry cache for mark(): consecutive bars of one symbol skip the map lookup. */
  private markSymbol = '';
  private markPosition: PositionState | undefined = undefined;

  constructor(startingCash: number) {
    this.cashPu = notionalAmount(Math.round(startingCash * 100), 1_000_000);
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
    return toBigPu(this.cashPu);
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
    const value = notionalAmount(signed, fill.pricePu);
    const commission = puAmount(fill.commissionPu);
    const slippage = puAmount(fill.slippagePu);
    this.cashPu = subPu(this.cashPu, commission === 0 ? value : addPu(value, commission));
    this.cashFloat = puToNumber(this.cashPu);
    if (commission !== 0) this.commissionsPu = addPu(this.commissionsPu, commission);
    if (slippage !== 0) this.slippagePu = addPu(this.slippagePu, slippage);
    this.tradedNotional += Math.abs(fill.quantity * fill.price);

    const p = this.position(fill.symbol, fill.price);
    let open = fill.quantity;
    let commLeft = commission;
    let slipLeft = slippage;
    if (p.quantity !== 0 && Math.sign(p.quantity) !== Math.sign(signed)) {
      const closing = Math.min(open, Math.abs(p.quantity));
      // Split the fill's costs between the part that closes and the part that opens (a reversal).
      const exitComm = mulDivPu(commission, closing, open);
      const exitSlip = mulDivPu(slippage, closing, open);
      this.closePart(p, closing, fill, exitComm, exitSlip, barIndex);
      open -= closing;
      commLeft = subPu(commLeft, exitComm);
      slipLeft = subPu(slipLeft, exitSlip);
    }
    if (open > 0) {
      if (p.quantity === 0) {
        p.entryTime = fill.ts;
        p.entryBar = barIndex;
        this.openPositions.push(p);
      }
      const q = signed > 0 ? open : -open;
      p.quantity += q;
      p.costPu = addPu(p.costPu, q === signed ? value : notionalAmount(q, fill.pricePu));
      if (commLeft !== 0) p.entryCommissionPu = addPu(p.entryCommissionPu, commLeft);
      if (slipLeft !== 0) p.entrySlippagePu = addPu(p.entrySlippagePu, slipLeft);
    }
  }

  private position(symbol: string, price: number): PositionState {
    let p = this.positions.get(symbol);
    if (!p) {
      p = {
        symbol,
        quantity: 0,
        costPu: 0,
        entryCommissionPu: 0,
        entrySlippagePu: 0,
        entryTime: 0,
        entryBar: 0,
        lastPrice: price,
        realizedPu: 0,
      };
      this.positions.set(symbol, p);
      this.markSymbol = '';
    }
    return p;
  }

  private closePart(p: PositionState, qty: number, fill: Fill, exitComm: PuAmount, exitSlip: PuAmount, barIndex: number): void {
    // A full close (the common case) takes everything; a partial one takes its pro-rata share, exactly.
    const held = Math.abs(p.quantity);
    const costPart = mulDivPu(p.costPu, qty, held);
    const entryComm = p.entryCommissionPu === 0 ? 0 : mulDivPu(p.entryCommissionPu, qty, held);
    const entrySlip = p.entrySlippagePu === 0 ? 0 : mulDivPu(p.entrySlippagePu, qty, held);
    const sign = p.quantity > 0 ? 1 : -1;
    const pnl = subPu(subPu(subPu(notionalAmount(sign * qty, fill.pricePu), costPart), entryComm), exitComm);
    p.realizedPu = addPu(p.realizedPu, pnl);
    this.tradeLog.add({
      symbol: p.symbol,
      side: sign > 0 ? 'long' : 'short',
      quantity: qty,
      entryTime: p.entryTime,
      // Rounded to 1 pu: the exact average can be a repeating decimal.
      entryPrice: puToNumber(divRoundPu(sign > 0 ? costPart : negPu(costPart), qty)),
      exitTime: fill.ts,
      exitPrice: fill.price,
      pnl: puToNumber(pnl),
      commission: puToNumber(addPu(entryComm, exitComm)),
      slippage: puToNumber(addPu(entrySlip, exitSlip)),
      entryBar: p.entryBar,
      exitBar: barIndex,
    });
    p.quantity -= sign * qty;
    p.costPu = subPu(p.costPu, costPart);
    p.entryCommissionPu = subPu(p.entryCommissionPu, entryComm);
    p.entrySlippagePu = subPu(p.entrySlippagePu, entrySlip);
    if (p.quantity === 0) {
      removeAt(this.openPositions, this.openPositions.indexOf(p));
    }
  }
}

// Closed trades in columns: a run can close tens of thousands of trades, and objects kept for the whole run
// cost far more in garbage collection than ten numbers in typed arrays. Objects are built when read.

import type { ClosedTrade } from '../model/types.js';

const FIELDS = ['quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'pnl', 'commission', 'slippage', 'entryBar', 'exitBar'] as const;
type Field = (typeof FIELDS)[number];

export class TradeLog {
  private n = 0;
  private capacity = 256;
  private cols: Record<Field, Float64Array>;
  private symbolIds = new Int32Array(256);
  private shorts = new Uint8Array(256);
  private readonly symbols: string[] = [];
  private readonly symbolIndex = new Map<string, number>();
  private cache: ClosedTrade[] | null = null;

  constructor() {
    this.cols = this.alloc(this.capacity);
  }

  get length(): number {
    return this.n;
  }

  add(t: ClosedTrade): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    const c = this.cols;
    c.quantity[i] = t.quantity;
    c.entryTime[i] = t.entryTime;
    c.entryPrice[i] = t.entryPrice;
    c.exitTime[i] = t.exitTime;
    c.exitPrice[i] = t.exitPrice;
    c.pnl[i] = t.pnl;
    c.commission[i] = t.commission;
    c.slippage[i] = t.slippage;
    c.entryBar[i] = t.entryBar;
    c.exitBar[i] = t.exitBar;
    let sid = this.symbolIndex.get(t.symbol);
    if (sid === undefined) {
      sid = this.symbols.length;
      this.symbols.push(t.symbol);
      this.symbolIndex.set(t.symbol, sid);
    }
    this.symbolIds[i] = sid;
    this.shorts[i] = t.side === 'short' ? 1 : 0;
    this.cache = null;
  }

  /** All trades as objects, in exit order (built once per change). */
  toArray(): readonly ClosedTrade[] {
    if (this.cache) return this.cache;
    const out = new Array<ClosedTrade>(this.n);
    const c = this.cols;
    for (let i = 0; i < this.n; i++) {
      out[i] = {
        symbol: this.symbols[this.symbolIds[i] as number] as string,
        side: this.shorts[i] ? 'short' : 'long',
        quantity: c.quantity[i] as number,
        entryTime: c.entryTime[i] as number,
        entryPrice: c.entryPrice[i] as number,
        exitTime: c.exitTime[i] as number,
        exitPrice: c.exitPrice[i] as number,
        pnl: c.pnl[i] as number,
        commission: c.commission[i] as number,
        slippage: c.slippage[i] as number,
        entryBar: c.entryBar[i] as number,
        exitBar: c.exitBar[i] as number,
      };
    }
    this.cache = out;
    return out;
  }

  private alloc(capacity: number): Record<Field, Float64Array> {
    return Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(capacity)])) as Record<Field, Float64Array>;
  }

  private grow(): void {
    this.capacity *= 2;
    const cols = this.alloc(this.capacity);
    for (const f of FIELDS) cols[f].set(this.cols[f]);
    this.cols = cols;
    const ids = new Int32Array(this.capacity);
    ids.set(this.symbolIds);
    this.symbolIds = ids;
    const shorts = new Uint8Array(this.capacity);
    shorts.set(this.shorts);
    this.shorts = shorts;
  }
}

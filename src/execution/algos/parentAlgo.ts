// A parent order worked by an execution algorithm: sends child orders through the same gateway, risk and OMS
// path as any order, tracks what filled, and ends when done, canceled, or at its end time. The algorithms
// (twap.ts, vwap.ts, pov.ts) only say how much to send on each bar.

import type { AlgoRequest, AlgoStatus, AlgoUpdate } from '../../model/algo.js';
import type { Fill, Order, OrderRequest } from '../../model/types.js';
import { isTerminal } from '../orderStates.js';

/** The closed bars of the parent's symbol, newest first (a strategy BarHistory fits). */
export interface VolumeHistory {
  readonly length: number;
  time(ago?: number): number;
  volume(ago?: number): number;
}

/** What an algorithm needs from the engine; the kernel wires it to the order gateway and the OMS. */
export interface AlgoServices {
  /** Sends a child through the pre-trade checks; the order comes back rejected when denied. */
  place(request: OrderRequest, strategyId: string | null): Order;
  cancel(orderId: number): boolean;
  now(): number;
  history(symbol: string): VolumeHistory;
  timeZone(symbol: string): string;
}

/** What an algorithm acts on: the time step (the clock) and the volume of its symbol's latest closed bar. */
export interface AlgoBar {
  readonly ts: number;
  readonly volume: number;
}

export abstract class ParentAlgo {
  status: AlgoStatus = 'working';
  /** True while a child is being placed: its first order update arrives before place() returns. */
  placing = false;
  private filled = 0;
  private notional = 0;
  private readonly childIds: number[] = [];
  private readonly open = new Map<number, Order>();
  private rejectedChildren = 0;
  /** Time step of the last slice decision: at most one per step (a bar of this step may come after the start). */
  private lastStepTs = -Infinity;
  readonly start: number;

  constructor(
    readonly id: string,
    readonly request: AlgoRequest,
    readonly strategyId: string | null,
    protected readonly services: AlgoServices,
    private readonly publish: (u: AlgoUpdate) => void,
  ) {
    this.start = request.start ?? services.now();
  }

  /** Quantity the algorithm wants to send now, before the parent caps it by what is not yet working or filled. */
  protected abstract wanted(bar: AlgoBar): number;
  /** True once the algorithm will send nothing more (the parent then ends when its children have). */
  protected abstract scheduleDone(): boolean;

  /** Sends whatever is due on `bar`; called at the start and on each later bar of the symbol. */
  onBar(bar: AlgoBar): void {
    if (this.status !== 'working') return;
    const end = this.request.end;
    if (end !== undefined && bar.ts >= end) {
      this.end('expired', `end time reached with ${this.request.quantity - this.filled} unfilled`);
      return;
    }
    if (bar.ts < this.start || bar.ts === this.lastStepTs) return;
    this.lastStepTs = bar.ts;
    const qty = Math.min(this.wanted(bar), this.uncommitted());
    if (qty > 0) this.sendChild(qty);
    this.endIfDone();
  }

  /** Cancels the working children and ends the parent. */
  cancel(reason = 'canceled by request'): boolean {
    if (this.status !== 'working') return false;
    this.end('canceled', reason);
    return true;
  }

  childFilled(f: Fill): void {
    this.filled += f.quantity;
    this.notional += f.price * f.quantity;
    if (this.status !== 'working') return;
    if (this.filled >= this.request.quantity) this.end('completed', `child #${f.orderId} filled the rest`);
    else this.emit(`child #${f.orderId} filled ${f.quantity} at ${f.price}`);
    this.endIfDone();
  }

  childUpdated(o: Order): void {
    if (!isTerminal(o.status) || !this.open.delete(o.id)) return;
    // A child's 'filled' update comes just before its fill: the fill decides whether the parent is done.
    if (o.status === 'filled') return;
    if (o.status === 'rejected') {
      this.rejectedChildren++;
      this.emit(`child #${o.id} rejected: ${o.rejectReason ?? ''}`);
    }
    this.endIfDone();
  }

  snapshot(reason = ''): AlgoUpdate {
    const r = this.request;
    return {
      id: this.id,
      strategyId: this.strategyId,
      algo: r.algo,
      symbol: r.symbol,
      side: r.side,
      quantity: r.quantity,
      filledQuantity: this.filled,
      remaining: r.quantity - this.filled,
      avgFillPrice: this.filled > 0 ? this.notional / this.filled : 0,
      status: this.status,
      childIds: [...this.childIds],
      rejectedChildren: this.rejectedChildren,
      ts: this.services.now(),
      reason,
    };
  }

  emit(reason: string): void {
    this.publish(this.snapshot(reason));
  }

  /** Quantity neither filled nor working in a child. */
  private uncommitted(): number {
    let working = 0;
    for (const o of this.open.values()) working += o.quantity - o.filledQuantity;
    return this.request.quantity - this.filled - working;
  }

  private sendChild(quantity: number): void {
    const r = this.request;
    const request: OrderRequest = {
      symbol: r.symbol,
      side: r.side,
      quantity,
      ...(r.limitPrice === undefined ? { type: 'market' } : { type: 'limit', limitPrice: r.limitPrice }),
      tif: 'GTC',
      tag: this.id,
    };
    let child: Order;
    this.placing = true;
    try {
      child = this.services.place(request, this.strategyId);
    } finally {
      this.placing = false;
    }
    this.childIds.push(child.id);
    if (child.status === 'rejected') {
      // A denied child is reported on the parent; the schedule goes on.
      this.rejectedChildren++;
      this.emit(`child #${child.id} denied: ${child.rejectReason ?? ''}`);
      return;
    }
    if (!isTerminal(child.status)) this.open.set(child.id, child);
    this.emit(`child #${child.id} sent: ${quantity}`);
  }

  private endIfDone(): void {
    if (this.status !== 'working' || this.open.size > 0 || !this.scheduleDone()) return;
    if (this.filled >= this.request.quantity) this.end('completed', 'all filled');
    else this.end('expired', `schedule done with ${this.request.quantity - this.filled} unfilled`);
  }

  private end(status: Exclude<AlgoStatus, 'working'>, reason: string): void {
    // Ended first, so the cancels' order updates do not re-enter endIfDone.
    this.status = status;
    for (const id of [...this.open.keys()]) this.services.cancel(id);
    this.open.clear();
    this.emit(reason);
  }
}

// Runs the execution algorithms of a kernel: validates requests, starts parents, and routes each bar of a
// parent's symbol and each child fill and update to it. It listens on the bus only while a parent is
// working, so runs without algorithms pay nothing per bar.

import type { MessageBus } from '../../core/bus.js';
import { Pi5Error } from '../../core/errors.js';
import { ALGO_KINDS, type AlgoRequest, type AlgoUpdate } from '../../model/algo.js';
import type { KernelEvents } from '../../model/events.js';
import type { Bar, Fill, Order } from '../../model/types.js';
import type { AlgoServices, ParentAlgo } from './parentAlgo.js';
import { PovAlgo } from './pov.js';
import { TwapAlgo } from './twap.js';
import { VwapAlgo } from './vwap.js';

/** What a strategy holds of a running parent. */
export interface AlgoHandle {
  readonly id: string;
  /** The parent's current state (a snapshot). */
  status(): AlgoUpdate;
  /** Cancels the working children and ends the parent; false when it had already ended. */
  cancel(): boolean;
}

function bad(r: AlgoRequest, field: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_ORDER', `algo ${String(r.algo)} ${r.side} ${r.quantity} ${r.symbol}: ${field} ${message}`, { field, symbol: r.symbol });
}

export function validateAlgoRequest(r: AlgoRequest, now: number): void {
  if (!ALGO_KINDS.includes(r.algo)) throw bad(r, 'algo', `must be one of ${ALGO_KINDS.join(', ')}`);
  if (typeof r.symbol !== 'string' || r.symbol === '') throw bad(r, 'symbol', 'is required');
  if (r.side !== 'buy' && r.side !== 'sell') throw bad(r, 'side', `must be buy or sell, got ${String(r.side)}`);
  if (!Number.isSafeInteger(r.quantity) || r.quantity <= 0) throw bad(r, 'quantity', `must be a positive whole number, got ${String(r.quantity)}`);
  if (r.slices !== undefined && (!Number.isSafeInteger(r.slices) || r.slices <= 0)) throw bad(r, 'slices', `must be a positive whole number, got ${String(r.slices)}`);
  if (r.limitPrice !== undefined && !(Number.isFinite(r.limitPrice) && r.limitPrice > 0)) throw bad(r, 'limitPrice', `must be a positive number, got ${String(r.limitPrice)}`);
  const start = r.start ?? now;
  if (r.end !== undefined && !(r.end > start && r.end > now)) throw bad(r, 'end', `${r.end} must be after the start ${start} and now ${now}`);
  if (r.algo === 'vwap' && r.end === undefined) throw bad(r, 'end', 'is required for VWAP (the profile covers [start, end))');
  if (r.algo === 'pov') {
    const p = r.participation;
    if (p === undefined || !(p > 0 && p <= 1)) throw bad(r, 'participation', `must be in (0, 1] (0.1 = 10%), got ${String(p)}`);
  }
  if (r.lookbackDays !== undefined && (!Number.isSafeInteger(r.lookbackDays) || r.lookbackDays <= 0)) throw bad(r, 'lookbackDays', 'must be a positive whole number');
}

export class AlgoScheduler {
  private readonly working: ParentAlgo[] = [];
  private readonly all = new Map<string, ParentAlgo>();
  /** Child order id → parent, learned from the children's first update (their tag is the parent id). */
  private readonly byChild = new Map<number, ParentAlgo>();
  private unsubscribe: (() => void)[] = [];
  private seq = 0;
  private readonly publish: (u: AlgoUpdate) => void;

  constructor(
    private readonly bus: MessageBus<KernelEvents>,
    private readonly services: AlgoServices,
  ) {
    this.publish = bus.publisher('algoUpdated');
  }

  /** Starts a parent (PI5_ERR_BAD_ORDER for a malformed request) and sends what is due at once. */
  submit(request: AlgoRequest, strategyId: string | null): AlgoHandle {
    const now = this.services.now();
    validateAlgoRequest(request, now);
    const history = this.services.history(request.symbol);
    const id = `algo-${++this.seq}`;
    const Kind = request.algo === 'twap' ? TwapAlgo : request.algo === 'vwap' ? VwapAlgo : PovAlgo;
    const parent = new Kind(id, request, strategyId, this.services, this.publish);
    this.all.set(id, parent);
    this.working.push(parent);
    this.listen();
    parent.emit('started');
    parent.onBar({ ts: now, volume: history.length > 0 ? history.volume(0) : 0 });
    this.sweep();
    return { id, status: () => parent.snapshot(), cancel: () => this.cancel(parent) };
  }

  /** A parent by id (finished ones too). */
  get(id: string): AlgoUpdate | undefined {
    return this.all.get(id)?.snapshot();
  }

  private cancel(parent: ParentAlgo): boolean {
    const done = parent.cancel();
    this.sweep();
    return done;
  }

  private listen(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.bus.subscribe('bar', (b) => this.onBar(b)),
      this.bus.subscribe('orderUpdated', (o) => this.onOrderUpdated(o)),
      this.bus.subscribe('orderFilled', (f) => this.onFill(f)),
    ];
  }

  private onBar(bar: Bar): void {
    const list = this.working;
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as ParentAlgo;
      if (p.request.symbol === bar.symbol) p.onBar(bar);
    }
    this.sweep();
  }

  private onOrderUpdated(o: Order): void {
    let p = this.byChild.get(o.id);
    if (p === undefined && o.tag !== null) {
      // A child's first update comes while its parent places it; an order merely tagged alike is not a child.
      p = this.all.get(o.tag);
      if (p === undefined || !p.placing) return;
      this.byChild.set(o.id, p);
    }
    p?.childUpdated(o);
    this.sweep();
  }

  private onFill(f: Fill): void {
    this.byChild.get(f.orderId)?.childFilled(f);
    this.sweep();
  }

  /** Drops ended parents; the bus subscriptions go with the last one. */
  private sweep(): void {
    for (let i = this.working.length - 1; i >= 0; i--) if ((this.working[i] as ParentAlgo).status !== 'working') this.working.splice(i, 1);
    if (this.working.length > 0 || this.unsubscribe.length === 0) return;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }
}

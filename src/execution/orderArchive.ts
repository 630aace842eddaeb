// Finished orders in columns. A backtest makes tens of thousands of orders; kept as objects they would all
// be promoted to the old generation, which costs more than the rest of their life. Columns cost ~100 bytes
// an order, and an Order object is rebuilt only when someone asks for it.

import { ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCE, type BracketRole, type Order } from '../model/types.js';

const ROLES: readonly (BracketRole | null)[] = [null, 'entry', 'take-profit', 'stop-loss'];

class Column {
  data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }
  grow(capacity: number): void {
    const bigger = new Float64Array(capacity);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/** Interns repeated strings (symbols, strategy ids) as small integers. */
class StringTable {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];
  /** The string asked for last: a run's orders mostly repeat one symbol and one strategy (skips the Map). */
  private last: string | null = null;
  private lastId = -1;
  id(s: string): number {
    if (s === this.last) return this.lastId;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    this.last = s;
    this.lastId = i;
    return i;
  }
}

const NUMERIC = ['quantity', 'limitPrice', 'stopPrice', 'trailAmount', 'trailPercent', 'parentId', 'createdAt', 'filledQuantity', 'avgFillPrice', 'updatedAt'] as const;
type NumericField = (typeof NUMERIC)[number];

export class OrderArchive {
  /** Row of each archived order id (ids are dense from 1), -1 when not archived. */
  private rowOf = new Int32Array(1024).fill(-1);
  private rows = 0;
  private capacity = 1024;
  private readonly num: Record<NumericField, Column>;
  private codes = new Uint16Array(1024); // side | type << 1 | tif << 4 | role << 7
  private status = new Uint8Array(1024);
  private symbolIds = new Int32Array(1024);
  private strategyIds = new Int32Array(1024);
  private readonly symbols = new StringTable();
  private readonly strategies = new StringTable();
  /** Rare or free-text fields, by row. */
  private readonly text = new Map<number, { clientOrderId?: string; brokerOrderId?: string; tag?: string; ocoGroup?: string; rejectReason?: string }>();

  constructor(private readonly generatedClientId: (id: number) => string) {
    this.num = Object.fromEntries(NUMERIC.map((k) => [k, new Column(1024)])) as Record<NumericField, Column>;
  }

  /** `generatedId`: the client order id is the generated one (rebuilt on read instead of stored). */
  add(o: Order, generatedId: boolean): void {
    if (this.rows === this.capacity) this.growRows();
    while (o.id > this.rowOf.length) {
      const bigger = new Int32Array(this.rowOf.length * 2).fill(-1);
      bigger.set(this.rowOf);
      this.rowOf = bigger;
    }
    const r = this.rows++;
    this.rowOf[o.id - 1] = r;
    const c = this.num;
    c.quantity.data[r] = o.quantity;
    c.limitPrice.data[r] = o.limitPrice ?? NaN;
    c.stopPrice.data[r] = o.stopPrice ?? NaN;
    c.trailAmount.data[r] = o.trailAmount ?? NaN;
    c.trailPercent.data[r] = o.trailPercent ?? NaN;
    c.parentId.data[r] = o.parentId ?? NaN;
    c.createdAt.data[r] = o.createdAt;
    c.filledQuantity.data[r] = o.filledQuantity;
    c.avgFillPrice.data[r] = o.avgFillPrice;
    c.updatedAt.data[r] = o.updatedAt;
    this.codes[r] =
      (o.side === 'sell' ? 1 : 0) | (ORDER_TYPES.indexOf(o.type) << 1) | (TIME_IN_FORCE.indexOf(o.tif) << 4) | (ROLES.indexOf(o.role) << 7);
    this.status[r] = ORDER_STATUSES.indexOf(o.status);
    this.symbolIds[r] = this.symbols.id(o.symbol);
    this.strategyIds[r] = o.strategyId === null ? -1 : this.strategies.id(o.strategyId);
    if (generatedId && o.brokerOrderId === null && o.tag === null && o.ocoGroup === null && o.rejectReason === null) return;
    const extra: { clientOrderId?: string; brokerOrderId?: string; tag?: string; ocoGroup?: string; rejectReason?: string } = {};
    if (!generatedId) extra.clientOrderId = o.clientOrderId;
    if (o.brokerOrderId !== null) extra.brokerOrderId = o.brokerOrderId;
    if (o.tag !== null) extra.tag = o.tag;
    if (o.ocoGroup !== null) extra.ocoGroup = o.ocoGroup;
    if (o.rejectReason !== null) extra.rejectReason = o.rejectReason;
    this.text.set(r, extra);
  }

  /** Rebuilds the Order object of an archived id. */
  get(id: number): Order | undefined {
    const r = id - 1 < this.rowOf.length ? (this.rowOf[id - 1] ?? -1) : -1;
    if (r < 0) return undefined;
    const n = (k: NumericField): number => this.num[k].data[r] as number;
    const orNull = (k: NumericField): number | null => (Number.isNaN(n(k)) ? null : n(k));
    const code = this.codes[r] as number;
    const extra = this.text.get(r) ?? {};
    const strategy = this.strategyIds[r] as number;
    return {
      id,
      clientOrderId: extra.clientOrderId ?? this.generatedClientId(id),
      brokerOrderId: extra.brokerOrderId ?? null,
      symbol: this.symbols.values[this.symbolIds[r] as number] as string,
      side: code & 1 ? 'sell' : 'buy',
      quantity: n('quantity'),
      type: ORDER_TYPES[(code >> 1) & 7] as Order['type'],
      limitPrice: orNull('limitPrice'),
      stopPrice: orNull('stopPrice'),
      trailAmount: orNull('trailAmount'),
      trailPercent: orNull('trailPercent'),
      tif: TIME_IN_FORCE[(code >> 4) & 7] as Order['tif'],
      tag: extra.tag ?? null,
      parentId: orNull('parentId'),
      ocoGroup: extra.ocoGroup ?? null,
      role: ROLES[(code >> 7) & 3] ?? null,
      strategyId: strategy < 0 ? null : (this.strategies.values[strategy] as string),
      createdAt: n('createdAt'),
      status: ORDER_STATUSES[this.status[r] as number] as Order['status'],
      filledQuantity: n('filledQuantity'),
      avgFillPrice: n('avgFillPrice'),
      updatedAt: n('updatedAt'),
      rejectReason: extra.rejectReason ?? null,
    };
  }

  private growRows(): void {
    this.capacity *= 2;
    for (const k of NUMERIC) this.num[k].grow(this.capacity);
    const grow = <T extends Uint8Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.codes = grow(this.codes, (n) => new Uint16Array(n));
    this.status = grow(this.status, (n) => new Uint8Array(n));
    this.symbolIds = grow(this.symbolIds, (n) => new Int32Array(n));
    this.strategyIds = grow(this.strategyIds, (n) => new Int32Array(n));
  }
}

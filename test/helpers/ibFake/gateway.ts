// A fake IB Gateway on loopback that speaks the TWS socket protocol (server version 151): the handshake,
// startApi, order placement, modification and cancellation, open orders, executions with commission reports,
// positions, account values and completed orders. A bar passed to trade() is its market. Faults on demand: delayed acks,
// rejections by error code, dropped connections, fills while the client is away, a gateway that is down.

import { createServer, type Server, type Socket } from 'node:net';
import { FrameReader, frame, type WireField } from '../../../src/execution/venues/ib/wire.js';
import type { Bar } from '../../../src/model/types.js';
import { auctionRefusal, isAuctionOrder, matchBar } from './matching.js';
import * as msg from './messages.js';

const VERSION = 151;
const DAY_MS = 86_400_000;

export interface FakeIbOptions {
  readonly symbols: readonly string[];
  readonly account?: string;
  /** First order id TWS hands out. */
  readonly firstOrderId?: number;
}

export class FakeIbGateway {
  readonly orders = new Map<number, msg.FakeOrder>();
  readonly executions: msg.FakeExecution[] = [];
  /** Every placeOrder received, in order (modifies included): what reached the broker. */
  readonly placed: { orderId: number; orderRef: string }[] = [];
  readonly account: string;
  /** Delay before the answer to a placeOrder, in ms (0: at once). */
  ackDelayMs = 0;
  private server: Server | null = null;
  private readonly clients = new Map<number, Socket>();
  private readonly sockets = new Set<Socket>();
  /** How each order IB finished ended (completedOrder's completedStatus), by order id. */
  private readonly completed = new Map<number, string>();
  private nextOrderId: number;
  private nextPermId = 9000;
  private nextExecId = 1;
  private rejectQueue: { code: number; message: string }[] = [];
  port = 0;

  constructor(private readonly opts: FakeIbOptions) {
    this.account = opts.account ?? 'DU0000001';
    this.nextOrderId = opts.firstOrderId ?? 1;
  }

  async start(port = 0): Promise<number> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    return this.port;
  }

  /** Closes every client connection; the gateway keeps listening (a network blip). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Stops listening and drops everyone: the gateway is down until start(port) again. */
  async stop(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next placeOrder (new or modify) is refused with this IB error code (201: order rejected, ...). */
  rejectNext(code: number, message: string): void {
    this.rejectQueue.push({ code, message });
  }

  connectedClients(): number[] {
    return [...this.clients.keys()];
  }

  /** A bar trades: DAY orders of earlier days end, then working orders fill on it (half its volume at most). */
  trade(bar: Bar): void {
    const day = Math.floor(bar.ts / DAY_MS);
    const mine = [...this.orders.values()].filter((o) => o.symbol === bar.symbol && isWorking(o));
    for (const o of mine) {
      if (o.tif === 'DAY' && o.day !== null && day > o.day) {
        o.status = 'Cancelled';
        this.completed.set(o.orderId, 'Cancelled by System');
        this.toClient(o.clientId, msg.orderStatus(o));
      } else if (o.day === null) o.day = day;
    }
    for (const fill of matchBar(mine.filter(isWorking), bar)) {
      // A fill before this one may have canceled it (its one-cancels-all sibling).
      if (isWorking(fill.order)) this.fill(fill.order, fill.shares, fill.price);
    }
    // An auction order had its auction on this bar: what it did not fill is canceled by IB.
    for (const o of mine.filter((x) => isWorking(x) && isAuctionOrder(x))) {
      o.status = 'Cancelled';
      this.completed.set(o.orderId, 'Cancelled by System');
      this.toClient(o.clientId, msg.orderStatus(o));
    }
  }

  /** Net position per symbol from the executions. */
  positionOf(symbol: string): number {
    return this.executions.filter((e) => e.order.symbol === symbol).reduce((n, e) => n + (e.order.action === 'BUY' ? e.shares : -e.shares), 0);
  }

  private fill(o: msg.FakeOrder, shares: number, price: number): void {
    o.filled += shares;
    o.notional += shares * price;
    o.status = o.filled >= o.quantity ? 'Filled' : 'Submitted';
    if (o.status === 'Filled') this.completed.set(o.orderId, `Filled Size: ${o.filled}`);
    // IB's fixed rate: 0.005 per share, at least 1.00 per order.
    const e: msg.FakeExecution = { execId: `0000e${String(this.nextExecId++).padStart(4, '0')}.01.01`, order: o, shares, price: String(price), cumQty: o.filled, commission: Math.max(1, shares * 0.005).toFixed(4) };
    this.executions.push(e);
    this.toClient(o.clientId, msg.execDetails(-1, e), msg.commissionReport(e), msg.orderStatus(o));
    if (o.status === 'Filled' && o.ocaGroup !== '') {
      for (const sib of this.orders.values()) {
        if (sib !== o && sib.ocaGroup === o.ocaGroup && isWorking(sib)) this.cancel(sib);
      }
    }
  }

  /** A person cancels the order with this orderRef in TWS (told to its client only if it is connected). */
  cancelAtGateway(orderRef: string): void {
    const o = [...this.orders.values()].find((x) => x.orderRef === orderRef && isWorking(x));
    if (o === undefined) throw new Error(`fake IB: no working order ${orderRef}`);
    this.cancel(o, 'Cancelled by Trader');
  }

  private cancel(o: msg.FakeOrder, why = 'Cancelled by API'): void {
    o.status = 'Cancelled';
    this.completed.set(o.orderId, why);
    this.toClient(o.clientId, msg.error(o.orderId, 202, 'Order Canceled - reason:'), msg.orderStatus(o));
  }

  private toClient(clientId: number, ...messages: WireField[][]): void {
    const s = this.clients.get(clientId);
    if (s === undefined) return;
    for (const m of messages) s.write(frame(m));
  }

  private accept(s: Socket): void {
    this.sockets.add(s);
    let clientId: number | null = null;
    let greeted = false;
    let buf = Buffer.alloc(0);
    const reader = new FrameReader();
    const send = (...messages: WireField[][]): void => {
      for (const m of messages) s.write(frame(m));
    };
    s.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (!greeted) {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 8) return;
        if (buf.subarray(0, 4).toString('latin1') !== 'API\0') return void s.destroy();
        const len = buf.readUInt32BE(4);
        if (buf.length < 8 + len) return;
        const range = /^v(\d+)\.\.(\d+)/.exec(buf.subarray(8, 8 + len).toString('utf8'));
        if (range === null || Number(range[1]) > VERSION) return void s.destroy();
        greeted = true;
        send([Math.min(VERSION, Number(range[2])), '20240101 09:00:00 EST']);
        data = buf.subarray(8 + len);
      }
      for (const f of reader.push(data)) {
        const id = Number(f[0]);
        if (id === 71) {
          clientId = Number(f[2]);
          if (this.clients.has(clientId)) {
            send(msg.error(-1, 326, `Unable to connect as the client id ${clientId} is already in use.`));
            s.destroy();
            return;
          }
          this.clients.set(clientId, s);
          send([9, 1, this.nextOrderId], [15, 1, this.account]);
        } else if (clientId !== null) this.request(clientId, f, send);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      this.sockets.delete(s);
      if (clientId !== null && this.clients.get(clientId) === s) this.clients.delete(clientId);
    });
  }

  private request(clientId: number, f: string[], send: (...m: WireField[][]) => void): void {
    switch (Number(f[0])) {
      case 3:
        return this.place(clientId, f, send);
      case 4: {
        const o = this.orders.get(Number(f[2]));
        if (o === undefined || o.clientId !== clientId) return send(msg.error(Number(f[2]), 10147, `OrderId ${f[2]} that needs to be cancelled is not found.`));
        if (!isWorking(o)) return send(msg.error(o.orderId, 161, `Cancel attempted when order is not in a cancellable state.  Order permId =${o.permId}`));
        return this.cancel(o);
      }
      case 58:
        for (const o of this.orders.values()) if (isWorking(o)) this.cancel(o);
        return;
      case 5:
      case 16:
        for (const o of this.orders.values()) if (isWorking(o) && (Number(f[0]) === 16 || o.clientId === clientId)) send(msg.openOrder(o), msg.orderStatus(o));
        return send([53, 1]);
      case 7: {
        const reqId = Number(f[2]);
        for (const e of this.executions) if (e.order.clientId === Number(f[3])) send(msg.execDetails(reqId, e), msg.commissionReport(e));
        return send([55, 1, reqId]);
      }
      case 61: {
        for (const symbol of this.opts.symbols) {
          const q = this.positionOf(symbol);
          if (q !== 0) send(msg.position(this.account, symbol, 'USD', q, 0));
        }
        return send([62, 1]);
      }
      case 6:
        if (f[2] !== '1') return;
        return send([6, 2, 'NetLiquidation', '100000.00', 'USD', this.account], [6, 2, 'BuyingPower', '400000.00', 'USD', this.account], [54, 1, this.account]);
      case 8:
        return send([9, 1, this.nextOrderId]);
      case 49:
        return send([49, 1, 1704117600]);
      case 99:
        // Orders placed through the API only (our fake has no others), whichever client placed them.
        for (const [id, why] of this.completed) {
          const o = this.orders.get(id);
          if (o !== undefined) send(msg.completedOrder(o, why));
        }
        return send([102]);
      default:
    }
  }

  private place(clientId: number, f: string[], send: (...m: WireField[][]) => void): void {
    const p = msg.readPlaceOrder(f);
    this.placed.push({ orderId: p.orderId, orderRef: p.orderRef });
    const existing = this.orders.get(p.orderId);
    const answer = (...m: WireField[][]): void => {
      if (this.ackDelayMs === 0) send(...m);
      else setTimeout(() => this.toClient(clientId, ...m), this.ackDelayMs);
    };
    const refusal = this.rejectQueue.shift();
    if (refusal !== undefined) return answer(msg.error(p.orderId, refusal.code, refusal.message));
    if (existing !== undefined) {
      if (!isWorking(existing) || existing.clientId !== clientId) return answer(msg.error(p.orderId, 103, 'Duplicate order id'));
      if (p.quantity < existing.filled) return answer(msg.error(p.orderId, 10327, 'Order quantity is below the filled quantity'));
      Object.assign(existing, { quantity: p.quantity, lmtPrice: p.lmtPrice, auxPrice: p.auxPrice, trailingPercent: p.trailingPercent, tif: p.tif });
      return answer(msg.openOrder(existing), msg.orderStatus(existing));
    }
    if (p.orderId < this.nextOrderId) return answer(msg.error(p.orderId, 103, 'Duplicate order id'));
    const badAuction = auctionRefusal(p);
    if (badAuction !== null) return answer(msg.error(p.orderId, 201, badAuction));
    if (!this.opts.symbols.includes(p.symbol)) return answer(msg.error(p.orderId, 200, 'No security definition has been found for the request'));
    this.nextOrderId = p.orderId + 1;
    const o: msg.FakeOrder = { ...p, clientId, permId: this.nextPermId++, filled: 0, notional: 0, status: 'Submitted', day: null, trailStop: null, triggered: false };
    if (o.orderType === 'STP' || o.orderType === 'STP LMT' || o.orderType === 'TRAIL') o.status = 'PreSubmitted';
    this.orders.set(o.orderId, o);
    answer(msg.openOrder(o), msg.orderStatus(o));
  }
}

export function isWorking(o: msg.FakeOrder): boolean {
  return o.status === 'Submitted' || o.status === 'PreSubmitted';
}

// Request/answer exchanges with TWS that end with an "...End" message: open orders, positions, account values,
// executions and completed orders. One runs at a time (TWS answers in order, and the end markers of open orders and positions
// carry no request id to tell two apart).

import type { IbConnection } from './connection.js';
import * as inc from './incoming.js';
import { IN } from './incoming.js';
import * as out from './outgoing.js';
import type { WireField } from './wire.js';

export interface IbWorkingOrder {
  readonly orderId: number;
  readonly order: inc.IbOpenOrder;
  /** From the orderStatus that follows each openOrder; the order's quantity when none came. */
  readonly remaining: number;
  readonly status: string;
}

type Collector = (fields: string[]) => boolean;

export class IbQueries {
  private chain: Promise<unknown> = Promise.resolve();
  private active: Collector | null = null;
  private fail: ((e: Error) => void) | null = null;
  private reqId = 1;

  constructor(private readonly conn: IbConnection, private readonly timeoutMs: number) {
    conn.on('message', (fields) => {
      this.active?.(fields);
    });
    conn.on('down', (reason) => this.fail?.(new Error(`IB: ${reason} before the answer ended`)));
  }

  /** Every open order of the account, with what is left of each. */
  openOrders(): Promise<IbWorkingOrder[]> {
    const orders = new Map<number, inc.IbOpenOrder>();
    const statuses = new Map<number, inc.IbOrderStatus>();
    return this.run(out.reqAllOpenOrders(), (f) => {
      const id = Number(f[0]);
      if (id === IN.openOrder) {
        const o = inc.openOrder(f);
        orders.set(o.orderId, o);
      } else if (id === IN.orderStatus) {
        const s = inc.orderStatus(f);
        statuses.set(s.orderId, s);
      }
      return id === IN.openOrderEnd;
    }).then(() =>
      [...orders.values()].map((o) => {
        const s = statuses.get(o.orderId);
        return { orderId: o.orderId, order: o, remaining: s?.remaining ?? o.totalQuantity, status: s?.status ?? o.status };
      }),
    );
  }

  positions(): Promise<inc.IbPosition[]> {
    const rows: inc.IbPosition[] = [];
    return this.run(out.reqPositions(), (f) => {
      const id = Number(f[0]);
      if (id === IN.position) rows.push(inc.position(f));
      return id === IN.positionEnd;
    }).then(() => rows);
  }

  /** One snapshot of the account's values: subscribes, reads until the download ends, unsubscribes. */
  async accountValues(account: string): Promise<inc.IbAccountValue[]> {
    const rows: inc.IbAccountValue[] = [];
    await this.run(out.reqAccountUpdates(true, account), (f) => {
      const id = Number(f[0]);
      if (id === IN.accountValue) rows.push(inc.accountValue(f));
      return id === IN.accountDownloadEnd;
    });
    this.conn.send(out.reqAccountUpdates(false, account));
    return rows;
  }

  /** Orders IB finished today, placed through the API (any client id). */
  completedOrders(): Promise<inc.IbCompletedOrder[]> {
    const rows: inc.IbCompletedOrder[] = [];
    return this.run(out.reqCompletedOrders(true), (f) => {
      const id = Number(f[0]);
      if (id === IN.completedOrder) rows.push(inc.completedOrder(f));
      return id === IN.completedOrdersEnd;
    }).then(() => rows);
  }

  /** Today's executions of our client id; they also reach the venue's fill path (which skips repeats). */
  executions(clientId: number, account: string): Promise<number> {
    const reqId = this.reqId++;
    let n = 0;
    return this.run(out.reqExecutions(reqId, clientId, account), (f) => {
      const id = Number(f[0]);
      if (id === IN.execDetails && Number(f[1]) === reqId) n++;
      return id === IN.execDetailsEnd && Number(f[2]) === reqId;
    }).then(() => n);
  }

  private run(request: WireField[], collect: Collector): Promise<void> {
    const next = this.chain.then(
      () =>
        new Promise<void>((resolve, reject) => {
          const end = (e?: Error): void => {
            clearTimeout(timer);
            this.active = null;
            this.fail = null;
            if (e === undefined) resolve();
            else reject(e);
          };
          const timer = setTimeout(() => end(new Error(`IB: no answer to request ${String(request[0])} within ${this.timeoutMs} ms`)), this.timeoutMs);
          this.fail = end;
          this.active = (f) => {
            if (!collect(f)) return false;
            end();
            return true;
          };
          try {
            this.conn.send(request);
          } catch (e) {
            end(e as Error);
          }
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }
}

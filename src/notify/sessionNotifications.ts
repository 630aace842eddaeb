// What a trading session has to tell a person: fills, rejected or refused orders and kill-switch changes,
// worded once here for every channel. Subscribes to the session's events (published only once it is live, so a
// restart re-running stored steps sends nothing twice) and hands each to `notify`, which only queues.

import type { SessionView } from '../engine/live/sessionView.js';
import type { RiskDenial, RiskStateChange } from '../model/events.js';
import type { Fill, Order } from '../model/types.js';
import type { Notification, Notify } from './types.js';

const qty = (n: number): string => String(Number(n.toFixed(8)));
const money = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function fillNotification(f: Fill, o: Order | undefined): Notification {
  const who = o?.strategyId == null ? '' : ` (${o.strategyId})`;
  return {
    kind: 'fill',
    ts: f.ts,
    title: `Filled ${f.side.toUpperCase()} ${qty(f.quantity)} ${f.symbol} @ ${f.price}`,
    text: `${f.side === 'buy' ? 'Bought' : 'Sold'} ${qty(f.quantity)} ${f.symbol} at ${f.price}${who}, order ${f.clientOrderId}.`,
    data: { symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, clientOrderId: f.clientOrderId, strategy: o?.strategyId ?? null },
  };
}

export function rejectedOrderNotification(o: Order): Notification {
  const reason = o.rejectReason ?? 'no reason given';
  return {
    kind: 'rejection',
    ts: o.updatedAt,
    title: `Order rejected: ${o.side.toUpperCase()} ${qty(o.quantity)} ${o.symbol}`,
    text: `The venue rejected order ${o.clientOrderId}: ${reason}.`,
    data: { symbol: o.symbol, side: o.side, quantity: o.quantity, clientOrderId: o.clientOrderId, reason, strategy: o.strategyId },
  };
}

export function denialNotification(d: RiskDenial): Notification {
  return {
    kind: 'rejection',
    ts: d.ts,
    title: `Order refused by risk (${d.code}): ${d.symbol}`,
    text: `${d.strategyId === null ? 'An order' : `Strategy ${d.strategyId}'s order`} on ${d.symbol} was refused: ${d.message}`,
    data: { symbol: d.symbol, code: d.code, strategy: d.strategyId, message: d.message },
  };
}

export function killSwitchNotification(k: RiskStateChange): Notification {
  const tripped = k.killSwitch === 'tripped';
  return {
    kind: 'kill_switch',
    ts: k.ts,
    title: tripped ? 'Kill switch TRIPPED' : 'Kill switch reset',
    text: tripped ? `Tripped by ${k.by}: ${k.reason}. Only orders that reduce a position are accepted.` : `Reset by ${k.by}: ${k.reason}. Trading resumes.`,
    data: { state: k.killSwitch, by: k.by, reason: k.reason },
  };
}

/** Counts since the last daily summary, kept by the subscription. */
export interface DayCounts {
  fills: number;
  rejections: number;
}

/** The end-of-day message: equity, the day's P&L, fills and rejections since the previous summary. */
export function dailySummaryNotification(view: SessionView, counts: DayCounts, ts: number): Notification {
  const a = view.account();
  const sign = (n: number): string => (n >= 0 ? `+${money(n)}` : `-${money(-n)}`);
  const text = [
    `Session ${view.id} (${view.status().state})`,
    `Equity ${money(a.equity)}, cash ${money(a.cash)}`,
    `Day P&L ${sign(a.dayPnl)}; realized ${sign(a.realizedPnl)}, unrealized ${sign(a.unrealizedPnl)}`,
    `Open positions ${a.openPositions}; fills ${counts.fills}, rejections ${counts.rejections} since the last summary`,
  ].join('\n');
  return {
    kind: 'daily_summary',
    ts,
    title: `Daily summary: ${view.id} ${sign(a.dayPnl)}`,
    text,
    data: { session: view.id, equity: a.equity, cash: a.cash, dayPnl: a.dayPnl, realizedPnl: a.realizedPnl, unrealizedPnl: a.unrealizedPnl, openPositions: a.openPositions, ...counts },
  };
}

/** Subscribes; returns the counts the daily summary reads and resets, and the unsubscribe. */
export function subscribeSession(view: SessionView, notify: Notify): { counts: DayCounts; unsubscribe: () => void } {
  const counts: DayCounts = { fills: 0, rejections: 0 };
  const offs = [
    view.events.subscribe('fill', (f) => {
      counts.fills++;
      notify(fillNotification(f, view.order(f.orderId)));
    }),
    view.events.subscribe('order', (o) => {
      if (o.status !== 'rejected') return;
      counts.rejections++;
      notify(rejectedOrderNotification(o));
    }),
    view.events.subscribe('denial', (d) => {
      counts.rejections++;
      notify(denialNotification(d));
    }),
    view.events.subscribe('killSwitch', (k) => {
      // A switch restored from its state file at start is news only the first time.
      if (!k.restored) notify(killSwitchNotification(k));
    }),
  ];
  return { counts, unsubscribe: () => offs.forEach((off) => off()) };
}

// What the overview's "By strategy" and "Brokers" panels show, from GET /positions/by-strategy and GET /brokers:
// open rows grouped by owner, and each broker's health in words (not colour alone). Pure, unit-tested.

import { num } from './format.js';

export interface StrategyPosition {
  readonly strategy: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly avgPrice: number;
  readonly lastPrice: number | null;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
}

export interface StrategyPositions {
  readonly mode: 'strategy' | 'netting';
  readonly items: readonly StrategyPosition[];
}

export interface BrokerStatus {
  readonly venue: string;
  readonly state: 'healthy' | 'degraded' | 'down';
  readonly reasons: readonly string[];
  readonly connected: boolean;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly last: number } | null;
  readonly errorRate: number;
  readonly lastMessageAgeMs: number | null;
}

/** The book of orders placed by hand (the API's owner name for them). */
export const MANUAL = 'manual';

/** Open rows only, strategies by name with the hand's book last, symbols by name within each. */
export function openByOwner(items: readonly StrategyPosition[]): StrategyPosition[] {
  const rank = (s: string): number => (s === MANUAL ? 1 : 0);
  return items
    .filter((p) => p.quantity !== 0)
    .sort((a, b) => rank(a.strategy) - rank(b.strategy) || a.strategy.localeCompare(b.strategy) || a.symbol.localeCompare(b.symbol));
}

/** Who a row belongs to, in words. */
export function ownerLabel(strategy: string): string {
  return strategy === MANUAL ? 'by hand' : strategy;
}

/** The position mode in one sentence (the setting is session.positions). */
export function modeText(mode: StrategyPositions['mode']): string {
  return mode === 'strategy' ? "Each strategy acts on its own shares; the account nets them at the broker." : 'Netting: strategies act on the account’s net position per symbol.';
}

const STATE_MARK: Readonly<Record<BrokerStatus['state'], string>> = { healthy: '✓', degraded: '!', down: '✗' };

/** "alpaca: healthy · 42 ms median · last message 3 s ago" or "ib: down (not connected)". */
export function brokerLine(b: BrokerStatus): { mark: string; text: string } {
  const parts = [`${b.venue}: ${b.state}${b.reasons.length > 0 ? ` (${b.reasons.join('; ')})` : ''}`];
  if (b.latencyMs !== null) parts.push(`${num(b.latencyMs.p50, 0)} ms median`);
  if (b.errorRate > 0) parts.push(`${num(b.errorRate * 100, 0)}% errors`);
  if (b.lastMessageAgeMs !== null) parts.push(`last message ${num(b.lastMessageAgeMs / 1000, 0)} s ago`);
  return { mark: STATE_MARK[b.state], text: parts.join(' · ') };
}

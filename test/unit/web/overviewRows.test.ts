// The overview's positions-by-strategy rows and broker lines: open rows only, the hand's book last, and a
// broker's state in words with its reasons (readable without colour).

import { describe, expect, it } from 'vitest';
import { brokerLine, modeText, openByOwner, ownerLabel, type BrokerStatus, type StrategyPosition } from '../../../web/src/overviewRows.js';

const row = (strategy: string, symbol: string, quantity: number): StrategyPosition => ({ strategy, symbol, quantity, avgPrice: 10, lastPrice: 11, unrealizedPnl: quantity, realizedPnl: 0 });

describe('positions by strategy', () => {
  it('keeps open rows, strategies by name, the hand last, symbols by name within an owner', () => {
    const rows = [row('manual', 'DEMOA', 10), row('sma', 'DEMOB', 5), row('rsi', 'DEMOA', -3), row('sma', 'DEMOA', 7), row('rsi', 'DEMOB', 0)];
    expect(openByOwner(rows).map((r) => `${r.strategy}/${r.symbol}`)).toEqual(['rsi/DEMOA', 'sma/DEMOA', 'sma/DEMOB', 'manual/DEMOA']);
    expect(ownerLabel('manual')).toBe('by hand');
    expect(ownerLabel('sma')).toBe('sma');
    expect(modeText('strategy')).toContain('own shares');
    expect(modeText('netting')).toContain('net position');
  });
});

describe('broker lines', () => {
  const base: BrokerStatus = { venue: 'alpaca', state: 'healthy', reasons: [], connected: true, latencyMs: { p50: 42.4, p99: 120, last: 40 }, errorRate: 0, lastMessageAgeMs: 3200 };

  it('says a healthy broker, its median latency and when it was last heard', () => {
    expect(brokerLine(base)).toEqual({ mark: '✓', text: 'alpaca: healthy · 42 ms median · last message 3 s ago' });
  });

  it('names why a broker is down or degraded, with a mark that is not colour', () => {
    const down = brokerLine({ ...base, venue: 'ib', state: 'down', reasons: ['not connected'], connected: false, latencyMs: null, lastMessageAgeMs: null });
    expect(down).toEqual({ mark: '✗', text: 'ib: down (not connected)' });
    const slow = brokerLine({ ...base, state: 'degraded', reasons: ['latency 1500 ms', 'errors 30%'], errorRate: 0.3 });
    expect(slow.mark).toBe('!');
    expect(slow.text).toBe('alpaca: degraded (latency 1500 ms; errors 30%) · 42 ms median · 30% errors · last message 3 s ago');
  });
});

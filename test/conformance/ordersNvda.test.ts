// The 108-order conformance case: every order type's fills on NVDA daily bars must match the worked answers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBarsCsv } from '../../src/data/csv/index.js';
import { runBacktest } from '../../src/engine/backtestRunner.js';
import { formatPu, toPu } from '../../src/model/money.js';
import { signals } from '../../src/strategy/builtin/signals.js';
import type { Order } from '../../src/model/types.js';
import { conformance, sharedData } from '../helpers/shared.js';

interface ExpectedOrder {
  id: number;
  type: string;
  side: string;
  submitted: string;
  filled: boolean;
  quantity: number;
  fillDate: string | null;
  fillPrice: string | null;
}
const expected = JSON.parse(readFileSync(conformance('orders-nvda.expected.json'), 'utf8')) as {
  final: { position: number; cash: string; finalEquity: string };
  orders: ExpectedOrder[];
};

describe('conformance: 108 orders on NVDA (DESIGN.md §5)', async () => {
  const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
  const result = runBacktest({
    series: [nvda],
    strategy: signals,
    params: { file: conformance('orders-nvda.csv') },
    cash: 1_000_000,
  });
  // Order file line N (1-based, header is line 1) is expected order id N - 1.
  const byLine = new Map<number, Order>();
  for (const o of result.orders ?? []) byLine.set(Number((o.tag ?? '').replace('line ', '')), o);

  it('creates one order per row', () => {
    expect(byLine.size).toBe(expected.orders.length);
  });

  for (const e of expected.orders) {
    it(`order ${e.id} (${e.type} ${e.side} ${e.submitted}) ${e.filled ? `fills ${e.quantity} at ${e.fillPrice} on ${e.fillDate}` : 'never fills'}`, () => {
      const o = byLine.get(e.id + 1);
      expect(o).toBeDefined();
      if (!o) return;
      expect(o.type).toBe(e.type);
      expect(o.side).toBe(e.side);
      const signed = o.side === 'buy' ? o.filledQuantity : 0 - o.filledQuantity;
      expect(signed === 0 ? 0 : signed).toBe(e.quantity);
      if (e.filled) {
        expect(o.status).toBe('filled');
        expect(new Date(o.updatedAt).toISOString().slice(0, 10)).toBe(e.fillDate);
        expect(formatPu(toPu(o.avgFillPrice))).toBe(e.fillPrice);
      } else {
        expect(o.status).not.toBe('filled');
      }
    });
  }

  it('ends flat with the exact cash and equity', () => {
    expect(result.openPositions).toHaveLength(0);
    expect(result.finalCash).toBe(expected.final.cash);
    expect(result.metrics.finalEquity).toBeCloseTo(Number(expected.final.finalEquity), 6);
  });
});

// The 108-order conformance case: every order type's fills on NVDA daily bars must match the worked answers,
// field by field: type, side, submission date, bracket group and role, status, signed quantity, fill date and
// exact fill price, then the final position, cash and equity.

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
  group: string | null;
  role: string | null;
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

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * What an unfilled order must be at the end: canceled when another order of its OCO set (a bracket's
 * take-profit and stop-loss) filled, otherwise still working (every row is GTC, so nothing expires).
 */
function expectedStatus(e: ExpectedOrder): string {
  if (e.filled) return 'filled';
  const siblingFilled = e.group !== null && e.role !== 'entry' && expected.orders.some((o) => o.group === e.group && o.id !== e.id && o.role !== 'entry' && o.filled);
  return siblingFilled ? 'canceled' : 'accepted';
}

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
  const orderOf = (id: number): Order | undefined => byLine.get(id + 1);

  it('creates one order per row', () => {
    expect(result.orders ?? []).toHaveLength(expected.orders.length);
    expect(byLine.size).toBe(expected.orders.length);
  });

  for (const e of expected.orders) {
    const title = e.filled ? `fills ${e.quantity} at ${e.fillPrice} on ${e.fillDate}` : `never fills (${expectedStatus(e)})`;
    it(`order ${e.id} (${e.type} ${e.side} ${e.submitted}${e.group === null ? '' : ` ${e.group} ${e.role}`}) ${title}`, () => {
      const o = orderOf(e.id);
      if (!o) throw new Error(`no order for row ${e.id}`);
      const signed = o.side === 'buy' ? o.filledQuantity : 0 - o.filledQuantity;
      expect({
        type: o.type,
        side: o.side,
        role: o.role,
        submitted: day(o.createdAt),
        status: o.status,
        quantity: signed === 0 ? 0 : signed,
        fillDate: o.filledQuantity > 0 ? day(o.updatedAt) : null,
        fillPrice: o.filledQuantity > 0 ? formatPu(toPu(o.avgFillPrice)) : null,
      }).toEqual({ type: e.type, side: e.side, role: e.role, submitted: e.submitted, status: expectedStatus(e), quantity: e.quantity, fillDate: e.fillDate, fillPrice: e.fillPrice });
    });
  }

  it('links each group as its rows say: children of the entry share one OCO set, one set per group, lone rows unlinked', () => {
    const groups = new Map<string, ExpectedOrder[]>();
    for (const e of expected.orders) if (e.group !== null) groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
    expect(groups.size).toBeGreaterThan(0);
    const ocoSets = new Set<string>();
    for (const [name, rows] of groups) {
      const entry = rows.find((r) => r.role === 'entry');
      const children = rows.filter((r) => r.role !== 'entry').map((r) => orderOf(r.id));
      const parentId = entry === undefined ? null : (orderOf(entry.id)?.id ?? Number.NaN);
      if (entry !== undefined) expect({ group: name, parentId: orderOf(entry.id)?.parentId }).toEqual({ group: name, parentId: null });
      const sets = new Set(children.map((c) => c?.ocoGroup));
      expect({ group: name, parents: children.map((c) => c?.parentId), sets: sets.size }).toEqual({ group: name, parents: children.map(() => parentId), sets: 1 });
      const [set] = [...sets];
      expect(typeof set).toBe('string');
      ocoSets.add(set as string);
    }
    expect(ocoSets.size).toBe(groups.size);
    for (const e of expected.orders.filter((x) => x.group === null)) {
      const o = orderOf(e.id);
      expect({ id: e.id, parentId: o?.parentId, ocoGroup: o?.ocoGroup }).toEqual({ id: e.id, parentId: null, ocoGroup: null });
    }
  });

  it('ends flat with the exact cash and equity of the worked answer', () => {
    expect(expected.final.position).toBe(0);
    expect(result.openPositions).toHaveLength(0);
    expect(result.finalCash).toBe(expected.final.cash);
    // Exact: the double nearest the worked decimal, not a tolerance.
    expect(result.metrics.finalEquity).toBe(Number(expected.final.finalEquity));
  });
});

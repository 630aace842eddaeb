// Replays an order file made elsewhere: each order is submitted at the close of the first bar (of its
// symbol) whose time is ≥ its time, then follows the same fill rules as an order from code. Rows that
// share a group form a bracket (entry + take-profit + stop-loss) or, without an entry, an OCO set.

import { Pi5Error } from '../../core/errors.js';
import type { OrderRequest } from '../../model/types.js';
import { defineStrategy, type StrategyContext } from '../api.js';
import { readOrderFile, type OrderFileRow } from './signals/orderFile.js';

function toRequest(r: OrderFileRow): OrderRequest {
  return {
    symbol: r.symbol,
    side: r.side,
    quantity: r.quantity,
    type: r.type,
    tif: r.tif,
    tag: `line ${r.line}`,
    ...(r.limit === undefined ? {} : { limitPrice: r.limit }),
    ...(r.stop === undefined ? {} : { stopPrice: r.stop }),
    ...(r.trail === undefined ? {} : { trailAmount: r.trail }),
    ...(r.trailPercent === undefined ? {} : { trailPercent: r.trailPercent }),
  };
}

function submitGroup(rows: readonly OrderFileRow[], ctx: StrategyContext): void {
  const entry = rows.find((r) => r.role === 'entry');
  if (!entry) {
    ctx.submitOco(rows.map(toRequest));
    return;
  }
  const tp = rows.find((r) => r.role === 'take-profit');
  const sl = rows.find((r) => r.role === 'stop-loss');
  ctx.submitBracket({
    entry: toRequest(entry),
    ...(tp?.limit === undefined ? {} : { takeProfit: { limitPrice: tp.limit, tag: `line ${tp.line}` } }),
    ...(sl?.stop === undefined
      ? {}
      : { stopLoss: { stopPrice: sl.stop, ...(sl.limit === undefined || sl.type !== 'stop-limit' ? {} : { limitPrice: sl.limit }), tag: `line ${sl.line}` } }),
  });
}

export const signals = defineStrategy({
  id: 'signals',
  name: 'Order file replay',
  description:
    'Replays orders from a CSV (time,symbol,side,type,quantity,limit,stop,trail,trailPercent,tif,group,role) with realistic fills: ' +
    'each order is submitted at the close of the first bar whose time is at or after its time.',
  params: {
    file: { type: 'string', default: '', description: 'path of the order CSV' },
  },
  keepsBars: false,
  create(p) {
    if (p.file === '') throw new Pi5Error('PI5_ERR_BAD_PARAM', 'strategy signals: parameter file: an order file is required (--param file=orders.csv)', { param: 'file' });
    const rows = readOrderFile(p.file);
    // Units of submission: a lone row, or all rows of a group (submitted when its first row is due).
    const units: OrderFileRow[][] = [];
    const groups = new Map<string, OrderFileRow[]>();
    for (const r of rows) {
      if (r.group === null) units.push([r]);
      else {
        const g = groups.get(r.group);
        if (g) g.push(r);
        else {
          const fresh = [r];
          groups.set(r.group, fresh);
          units.push(fresh);
        }
      }
    }
    const bySymbol = new Map<string, OrderFileRow[][]>();
    for (const u of units) {
      const sym = (u[0] as OrderFileRow).symbol;
      const list = bySymbol.get(sym) ?? [];
      list.push(u);
      bySymbol.set(sym, list);
    }
    for (const list of bySymbol.values()) list.sort((a, b) => (a[0] as OrderFileRow).time - (b[0] as OrderFileRow).time);
    const next = new Map<string, number>();
    return {
      onStart(ctx) {
        for (const sym of bySymbol.keys()) {
          if (!ctx.symbols.includes(sym)) ctx.log.warn(`order file ${p.file} has orders for ${sym}, which is not in the data; they are ignored`);
        }
      },
      onBar(bar, ctx) {
        const list = bySymbol.get(bar.symbol);
        if (!list) return;
        let i = next.get(bar.symbol) ?? 0;
        while (i < list.length && ((list[i] as OrderFileRow[])[0] as OrderFileRow).time <= bar.ts) {
          const unit = list[i] as OrderFileRow[];
          if (unit.length === 1 && unit[0]?.group === null) ctx.submit(toRequest(unit[0]));
          else submitGroup(unit, ctx);
          i++;
        }
        next.set(bar.symbol, i);
      },
    };
  },
});

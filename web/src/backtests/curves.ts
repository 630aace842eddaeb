// Curves derived from a backtest result for its charts: drawdown below the running peak, and monthly returns
// laid out as a year × month grid for the heatmap. Pure, unit-tested.

/** Fraction below the running peak at each point (0 at a new high, -0.25 a quarter under it). */
export function drawdown(equity: readonly number[]): number[] {
  let peak = -Infinity;
  return equity.map((e) => {
    peak = Math.max(peak, e);
    return peak > 0 ? e / peak - 1 : 0;
  });
}

export interface MonthlyReturn {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly return: number | null;
}

/** Rows by year (ascending), each with 12 cells (null where no return), plus the compounded year. */
export function monthlyGrid(months: readonly MonthlyReturn[]): { year: number; cells: (number | null)[]; total: number | null }[] {
  const years = new Map<number, (number | null)[]>();
  for (const m of months) {
    let row = years.get(m.year);
    if (!row) {
      row = new Array<number | null>(12).fill(null);
      years.set(m.year, row);
    }
    if (m.month >= 1 && m.month <= 12) row[m.month - 1] = m.return;
  }
  return [...years.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([year, cells]) => {
      const have = cells.filter((c): c is number => c !== null);
      return { year, cells, total: have.length ? have.reduce((acc, r) => acc * (1 + r), 1) - 1 : null };
    });
}

/** "maxDrawdown" → "Max drawdown". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface TradeRow {
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly entryTime: string | null;
  readonly entryPrice: number;
  readonly exitTime: string | null;
  readonly exitPrice: number;
}

/** A run's round trips of one symbol as chart marks: each entry and exit, a long's entry a buy, a short's a sell. */
export function tradeMarks(trades: readonly TradeRow[], symbol: string): { ts: number; side: 'buy' | 'sell'; price: number; quantity: number }[] {
  const out: { ts: number; side: 'buy' | 'sell'; price: number; quantity: number }[] = [];
  for (const t of trades) {
    if (t.symbol !== symbol) continue;
    const long = t.side === 'long';
    if (t.entryTime !== null) out.push({ ts: Date.parse(t.entryTime), side: long ? 'buy' : 'sell', price: t.entryPrice, quantity: t.quantity });
    if (t.exitTime !== null) out.push({ ts: Date.parse(t.exitTime), side: long ? 'sell' : 'buy', price: t.exitPrice, quantity: t.quantity });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

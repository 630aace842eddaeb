// Closed round trips of the session: paged, sorted by the server (across pages), exported whole as CSV.

import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { dateTime, qty } from '../format.js';
import { useReloadOn, useResource } from '../hooks.js';
import { pageInfo, toCsv, type SortState } from '../table.js';
import type { Paged } from '../types.js';
import { download, ErrorLine, Num, Pager, SortTh } from '../ui.js';

export interface ClosedTrade {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly pnl: number;
  readonly commission: number;
}

const LIMIT = 25;

export const TRADE_COLUMNS: readonly (readonly [string, (t: ClosedTrade) => unknown])[] = [
  ['symbol', (t) => t.symbol],
  ['side', (t) => t.side],
  ['quantity', (t) => t.quantity],
  ['entry_time', (t) => new Date(t.entryTime).toISOString()],
  ['entry_price', (t) => t.entryPrice],
  ['exit_time', (t) => new Date(t.exitTime).toISOString()],
  ['exit_price', (t) => t.exitPrice],
  ['pnl', (t) => t.pnl],
  ['commission', (t) => t.commission],
];

export function TradesTable() {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sortBy = (next: SortState): void => {
    setSort(next);
    setOffset(0);
  };
  // Sorted by the server across every page, not just the one shown.
  const order = sort === null ? '' : `&sort=${sort.key}&dir=${sort.dir}`;
  const r = useResource<Paged<ClosedTrade>>(`/trades?limit=${LIMIT}&offset=${offset}${order}`);
  useReloadOn(['fills'], r.reload, 2000);
  const rows = r.data?.items ?? [];
  const exportCsv = async (): Promise<void> => {
    try {
      const all: ClosedTrade[] = [];
      for (let off = 0; ; off += 1000) {
        const p = await api.get<Paged<ClosedTrade>>(`/trades?limit=1000&offset=${off}`);
        all.push(...p.items);
        if (p.items.length === 0 || all.length >= p.total) break;
      }
      download('trades.csv', toCsv(all, TRADE_COLUMNS));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div id="trades">
      <div class="row">
        <button id="trades-csv" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </div>
      <ErrorLine error={r.error ?? error} />
      {r.data && r.data.total === 0 ? (
        <p class="muted">No closed trades yet.</p>
      ) : (
        <div class="scroll">
          <table aria-label="Trades">
            <thead>
              <tr>
                <SortTh label="Symbol" k="symbol" sort={sort} onSort={sortBy} />
                <SortTh label="Side" k="side" sort={sort} onSort={sortBy} />
                <SortTh label="Qty" k="quantity" sort={sort} onSort={sortBy} right />
                <SortTh label="Entry" k="entryTime" sort={sort} onSort={sortBy} />
                <SortTh label="Entry price" k="entryPrice" sort={sort} onSort={sortBy} right />
                <SortTh label="Exit" k="exitTime" sort={sort} onSort={sortBy} />
                <SortTh label="Exit price" k="exitPrice" sort={sort} onSort={sortBy} right />
                <SortTh label="P&L" k="pnl" sort={sort} onSort={sortBy} right />
              </tr>
            </thead>
            <tbody>
              {rows.map((t, i) => (
                <tr key={`${t.symbol}-${t.exitTime}-${i}`}>
                  <td>{t.symbol}</td>
                  <td>{t.side}</td>
                  <td class="r">{qty(t.quantity)}</td>
                  <td>{dateTime(t.entryTime)}</td>
                  <td class="r"><Num value={t.entryPrice} /></td>
                  <td>{dateTime(t.exitTime)}</td>
                  <td class="r"><Num value={t.exitPrice} /></td>
                  <td class="r"><Num value={t.pnl} pnl /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.data && r.data.total > 0 ? <Pager label="trades" info={pageInfo(offset, LIMIT, r.data.items.length, r.data.total)} onPrev={() => setOffset(Math.max(0, offset - LIMIT))} onNext={() => setOffset(offset + LIMIT)} /> : null}
    </div>
  );
}

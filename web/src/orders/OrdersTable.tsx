// The orders list: filters (status, symbol, open only), paging and sorting (across every page) on the server,
// rejection reasons in plain words, and for traders modify (cancel/replace) and cancel of working orders.

import { useEffect, useState } from 'preact/hooks';
import { allows, useApp } from '../context.js';
import { dateTime, qty } from '../format.js';
import { useReloadOn, useResource } from '../hooks.js';
import { isWorking } from '../orderTicket.js';
import { pageInfo, type SortState } from '../table.js';
import type { Order, Paged } from '../types.js';
import { ErrorLine, Num, Pager, SortTh } from '../ui.js';
import { rejectionInWords } from '../words.js';

const STATUSES = ['', 'accepted', 'partially_filled', 'filled', 'rejected', 'canceled', 'expired'];
const LIMIT = 25;

export function OrdersTable(props: { version: number }) {
  const { me } = useApp();
  const [status, setStatus] = useState('');
  const [symbol, setSymbol] = useState('');
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortState | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const q = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (status) q.set('status', status);
  if (symbol.trim()) q.set('symbol', symbol.trim().toUpperCase());
  if (open) q.set('open', 'true');
  if (sort !== null) {
    q.set('sort', sort.key);
    q.set('dir', sort.dir);
  }
  const r = useResource<Paged<Order>>(`/orders?${q.toString()}`);
  useReloadOn(['orders'], r.reload);
  useEffect(() => {
    if (props.version > 0) r.reload(); // the ticket sent an order
  }, [props.version]);
  const trader = allows(me.role, 'trader');
  const rows = r.data?.items ?? [];
  const refilter = (f: () => void) => {
    f();
    setOffset(0);
  };
  const sortBy = (next: SortState): void => refilter(() => setSort(next));
  return (
    <div id="orders">
      <div class="row filters" role="search" aria-label="Filter orders">
        <label>
          Status
          <select id="orders-status" value={status} onChange={(e) => refilter(() => setStatus(e.currentTarget.value))}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Symbol
          <input id="orders-symbol" value={symbol} onInput={(e) => refilter(() => setSymbol(e.currentTarget.value))} placeholder="all" />
        </label>
        <label class="check">
          <input type="checkbox" id="orders-open" checked={open} onChange={(e) => refilter(() => setOpen(e.currentTarget.checked))} /> working only
        </label>
      </div>
      <ErrorLine error={r.error} />
      <div class="scroll">
        <table aria-label="Orders">
          <thead>
            <tr>
              <SortTh label="#" k="id" sort={sort} onSort={sortBy} right />
              <SortTh label="Time" k="createdAt" sort={sort} onSort={sortBy} />
              <SortTh label="Symbol" k="symbol" sort={sort} onSort={sortBy} />
              <SortTh label="Side" k="side" sort={sort} onSort={sortBy} />
              <SortTh label="Type" k="type" sort={sort} onSort={sortBy} />
              <SortTh label="Qty" k="quantity" sort={sort} onSort={sortBy} right />
              <SortTh label="Filled" k="filledQuantity" sort={sort} onSort={sortBy} right />
              <SortTh label="Limit" k="limitPrice" sort={sort} onSort={sortBy} right />
              <SortTh label="Stop" k="stopPrice" sort={sort} onSort={sortBy} right />
              <SortTh label="Avg fill" k="avgFillPrice" sort={sort} onSort={sortBy} right />
              <SortTh label="Status" k="status" sort={sort} onSort={sortBy} />
              <th scope="col">Strategy</th>
              {trader ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <OrderRow key={o.id} o={o} trader={trader} editing={editing === o.id} onEdit={(on) => setEditing(on ? o.id : null)} onChanged={r.reload} />
            ))}
          </tbody>
        </table>
      </div>
      {r.data ? <Pager label="orders" info={pageInfo(offset, LIMIT, r.data.items.length, r.data.total)} onPrev={() => setOffset(Math.max(0, offset - LIMIT))} onNext={() => setOffset(offset + LIMIT)} /> : null}
    </div>
  );
}

function OrderRow(props: { o: Order; trader: boolean; editing: boolean; onEdit: (on: boolean) => void; onChanged: () => void }) {
  const { api } = useApp();
  const { o } = props;
  const [error, setError] = useState<string | null>(null);
  const cancel = async (): Promise<void> => {
    try {
      await api.request('DELETE', `/orders/${o.id}`);
      setError(null);
      props.onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const working = isWorking(o.status);
  return (
    <>
      <tr data-order={o.id} data-status={o.status}>
        <td class="r">{o.id}</td>
        <td>{dateTime(o.createdAt)}</td>
        <td>{o.symbol}</td>
        <td>{o.side}</td>
        <td>{o.type}</td>
        <td class="r">{qty(o.quantity)}</td>
        <td class="r">{qty(o.filledQuantity)}</td>
        <td class="r"><Num value={o.limitPrice} /></td>
        <td class="r"><Num value={o.stopPrice} /></td>
        <td class="r">{o.filledQuantity > 0 ? <Num value={o.avgFillPrice} /> : '–'}</td>
        <td class="status">
          {o.status}
          {o.rejectReason ? <div class="small reason">{rejectionInWords(o.rejectReason)}</div> : null}
        </td>
        <td>{o.strategyId ?? 'manual'}</td>
        {props.trader ? (
          <td>
            {working ? (
              <div class="row nowrap">
                <button class="modify" aria-label={`modify order ${o.id}`} onClick={() => props.onEdit(!props.editing)}>Modify</button>
                <button class="cancel" aria-label={`cancel order ${o.id}`} onClick={() => void cancel()}>Cancel</button>
              </div>
            ) : null}
          </td>
        ) : null}
      </tr>
      {props.editing || error ? (
        <tr>
          <td colSpan={13}>
            {props.editing ? <ModifyForm o={o} onDone={() => { props.onEdit(false); props.onChanged(); }} /> : null}
            <ErrorLine error={error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ModifyForm(props: { o: Order; onDone: () => void }) {
  const { api } = useApp();
  const { o } = props;
  const [quantity, setQuantity] = useState(String(o.quantity));
  const [limit, setLimit] = useState(o.limitPrice === null ? '' : String(o.limitPrice));
  const [stop, setStop] = useState(o.stopPrice === null ? '' : String(o.stopPrice));
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    const changes: Record<string, number> = {};
    const n = (s: string): number => Number(s.trim());
    if (quantity.trim() && n(quantity) !== o.quantity) changes.quantity = n(quantity);
    if (o.limitPrice !== null && limit.trim() && n(limit) !== o.limitPrice) changes.limitPrice = n(limit);
    if (o.stopPrice !== null && stop.trim() && n(stop) !== o.stopPrice) changes.stopPrice = n(stop);
    if (Object.values(changes).some((x) => !(x > 0))) return setError('Quantities and prices must be numbers above zero.');
    if (Object.keys(changes).length === 0) return setError('Nothing changed.');
    try {
      await api.request('PATCH', `/orders/${o.id}`, changes);
      props.onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="row modify-form" onSubmit={submit} aria-label={`Modify order ${o.id}`}>
      <label>
        New total quantity
        <input class="modify-quantity" inputMode="decimal" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
      </label>
      {o.limitPrice !== null ? (
        <label>
          Limit price
          <input class="modify-limit" inputMode="decimal" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
        </label>
      ) : null}
      {o.stopPrice !== null ? (
        <label>
          Stop price
          <input class="modify-stop" inputMode="decimal" value={stop} onInput={(e) => setStop(e.currentTarget.value)} />
        </label>
      ) : null}
      <button type="submit" class="primary">Send change</button>
      <ErrorLine error={error} />
    </form>
  );
}

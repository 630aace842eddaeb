// Small shared pieces: panels, numbers (right-aligned, fixed decimals, sign and arrow besides colour), error lines.

import type { ComponentChildren } from 'preact';
import { num, signed, tone } from './format.js';
import { nextSort, type PageInfo, type SortState } from './table.js';

export function Panel(props: { title: string; children: ComponentChildren; id?: string; wide?: boolean }) {
  const hid = props.id ? `${props.id}-h` : undefined;
  return (
    <section class={props.wide ? 'panel wide' : 'panel'} id={props.id} aria-labelledby={hid}>
      <h2 id={hid}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A number cell: fixed decimals, or signed with ▲/▼ when `pnl`. */
export function Num(props: { value: number | null | undefined; decimals?: number; pnl?: boolean }) {
  const d = props.decimals ?? 2;
  if (!props.pnl) return <span class="num">{num(props.value, d)}</span>;
  return <span class={`num ${tone(props.value, d)}`}>{signed(props.value, d)}</span>;
}

export function ErrorLine(props: { error: string | null | undefined }) {
  if (!props.error) return null;
  return (
    <p class="error" role="alert">
      {props.error}
    </p>
  );
}

export function Stat(props: { label: string; children: ComponentChildren; id?: string }) {
  return (
    <div class="stat" id={props.id}>
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.children}</div>
    </div>
  );
}

/** A sortable column header: a button (keyboard reachable) and aria-sort for screen readers. */
export function SortTh(props: { label: string; k: string; sort: SortState | null; onSort: (s: SortState) => void; right?: boolean }) {
  const active = props.sort?.key === props.k;
  const aria = active ? (props.sort?.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" class={props.right ? 'r' : undefined} aria-sort={aria}>
      <button class="sort" onClick={() => props.onSort(nextSort(props.sort, props.k))}>
        {props.label}
        <span aria-hidden="true">{active ? (props.sort?.dir === 'asc' ? ' ▴' : ' ▾') : ''}</span>
      </button>
    </th>
  );
}

export function Pager(props: { info: PageInfo; onPrev: () => void; onNext: () => void; label: string }) {
  const i = props.info;
  return (
    <div class="row pager" role="navigation" aria-label={`${props.label} pages`}>
      <button onClick={props.onPrev} disabled={!i.hasPrev} aria-label={`previous ${props.label}`}>
        ‹ Prev
      </button>
      <span class="small">
        {i.from}–{i.to} of {i.total}
      </span>
      <button onClick={props.onNext} disabled={!i.hasNext} aria-label={`next ${props.label}`}>
        Next ›
      </button>
    </div>
  );
}

/** Offers text as a file download (CSV export). */
export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

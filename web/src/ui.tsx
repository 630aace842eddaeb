// Small shared pieces: panels, numbers (right-aligned, fixed decimals, sign and arrow besides colour), error lines.

import type { ComponentChildren } from 'preact';
import { num, signed, tone } from './format.js';

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

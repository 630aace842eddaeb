// The order ticket (traders): every order type the API accepts, fields shown by type, a bracket's take-profit and
// stop-loss for market and limit entries, checked before sending;
// the answer (accepted, or the risk engine's refusal in plain words) shown under it.

import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { qty } from '../format.js';
import { buildOrder, canBracket, fieldsFor, ORDER_TYPES, TIF_LABELS, TIFS, type OrderType, type TicketInput } from '../orderTicket.js';
import type { Order } from '../types.js';
import { ErrorLine } from '../ui.js';
import { rejectionInWords } from '../words.js';

const EMPTY: TicketInput = { symbol: '', side: 'buy', quantity: '', type: 'market', limitPrice: '', stopPrice: '', trail: '', tif: 'DAY', takeProfit: '', stopLoss: '' };

export function OrderTicket(props: { onSent: () => void }) {
  const { api } = useApp();
  const [t, setT] = useState<TicketInput>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof TicketInput) => (e: { currentTarget: { value: string } }) => setT({ ...t, [k]: e.currentTarget.value });
  const need = fieldsFor(t.type);
  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    const built = buildOrder(t);
    setErrors(built.errors);
    setResult(null);
    if (!built.body) return;
    try {
      const o = await api.request<Order>('POST', '/orders', built.body);
      setError(null);
      setResult(
        o.status === 'rejected'
          ? { ok: false, text: `Order #${o.id} rejected: ${rejectionInWords(o.rejectReason)}` }
          : { ok: true, text: `Order #${o.id} ${o.side} ${qty(o.quantity)} ${o.symbol}: ${o.status}${built.body.bracket ? ' (bracket: exits work once it fills)' : ''}` },
      );
      props.onSent();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const field = (k: keyof TicketInput, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input id={`ticket-${k}`} value={t[k]} onInput={set(k)} aria-invalid={errors[k] ? 'true' : undefined} aria-describedby={errors[k] ? `ticket-${k}-err` : undefined} {...extra} />
      {errors[k] ? (
        <span class="error small" id={`ticket-${k}-err`}>
          {errors[k]}
        </span>
      ) : null}
    </label>
  );
  return (
    <form id="order-ticket" class="ticket" onSubmit={submit} aria-label="New order" noValidate>
      <div class="row">
        {field('symbol', 'Symbol', { autocomplete: 'off', placeholder: 'DEMOA' })}
        <label>
          Side
          <select id="ticket-side" value={t.side} onChange={set('side')}>
            <option value="buy">Buy</option>
            <option value="sell">Sell</option>
          </select>
        </label>
        {field('quantity', 'Quantity', { inputMode: 'decimal' })}
        <label>
          Type
          <select id="ticket-type" value={t.type} onChange={(e) => setT({ ...t, type: e.currentTarget.value as OrderType })}>
            {ORDER_TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        {need.limit ? field('limitPrice', 'Limit price', { inputMode: 'decimal' }) : null}
        {need.stop ? field('stopPrice', 'Stop price', { inputMode: 'decimal' }) : null}
        {need.trail ? field('trail', 'Trail (amount or %)', { placeholder: '2%' }) : null}
        {canBracket(t.type) ? field('takeProfit', 'Take-profit (bracket)', { inputMode: 'decimal', placeholder: 'optional' }) : null}
        {canBracket(t.type) ? field('stopLoss', 'Stop-loss (bracket)', { inputMode: 'decimal', placeholder: 'optional' }) : null}
        <label>
          Time in force
          <select id="ticket-tif" value={t.tif} onChange={set('tif')} aria-invalid={errors.tif ? 'true' : undefined} aria-describedby={errors.tif ? 'ticket-tif-err' : undefined}>
            {TIFS.map((x) => (
              <option key={x} value={x}>
                {TIF_LABELS[x]}
              </option>
            ))}
          </select>
          {errors.tif ? (
            <span class="error small" id="ticket-tif-err">
              {errors.tif}
            </span>
          ) : null}
        </label>
        <button type="submit" class="primary" id="ticket-submit">
          {t.side === 'buy' ? 'Buy' : 'Sell'}
        </button>
      </div>
      {result ? (
        <p id="ticket-result" class={result.ok ? '' : 'error'} role="status">
          {result.text}
        </p>
      ) : null}
      <ErrorLine error={error} />
    </form>
  );
}

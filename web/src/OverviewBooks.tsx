// The overview's positions by owner (each strategy's book and the hand's) and the brokers' health.

import { useEffect, useState } from 'preact/hooks';
import { qty } from './format.js';
import { useReloadOn, useResource } from './hooks.js';
import { brokerLine, modeText, openByOwner, ownerLabel, type BrokerStatus, type StrategyPositions } from './overviewRows.js';
import { ErrorLine, Num } from './ui.js';

export function PositionsByStrategy() {
  const r = useResource<StrategyPositions>('/positions/by-strategy');
  useReloadOn(['fills', 'positions'], r.reload, 2000);
  const rows = openByOwner(r.data?.items ?? []);
  return (
    <div>
      <ErrorLine error={r.error} />
      {r.data ? <p class="muted small" id="position-mode" data-mode={r.data.mode}>{modeText(r.data.mode)}</p> : null}
      {rows.length === 0 ? (
        <p class="muted">No open positions.</p>
      ) : (
        <table aria-label="Positions by strategy" id="positions-by-strategy-table">
          <thead>
            <tr>
              <th scope="col">Owner</th>
              <th scope="col">Symbol</th>
              <th scope="col" class="r">Qty</th>
              <th scope="col" class="r">Avg</th>
              <th scope="col" class="r">Unrealized</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.strategy}/${p.symbol}`} data-owner={p.strategy} data-symbol={p.symbol} data-quantity={p.quantity}>
                <td>{ownerLabel(p.strategy)}</td>
                <td>{p.symbol}</td>
                <td class="r">{qty(p.quantity)}</td>
                <td class="r"><Num value={p.avgPrice} /></td>
                <td class="r"><Num value={p.unrealizedPnl} pnl /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Broker health is polled: it changes with connections and latency, not with trading events. */
export function Brokers() {
  const r = useResource<{ brokers: BrokerStatus[] }>('/brokers');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (tick > 0) r.reload();
  }, [tick]);
  const list = r.data?.brokers ?? [];
  return (
    <div>
      <ErrorLine error={r.error} />
      {r.data && list.length === 0 ? <p class="muted" id="brokers-none">No broker is monitored.</p> : null}
      <ul class="health" id="brokers">
        {list.map((b) => {
          const line = brokerLine(b);
          return (
            <li key={b.venue} class={b.state === 'healthy' ? 'ok' : 'bad'} data-venue={b.venue} data-state={b.state}>
              <span aria-hidden="true">{line.mark}</span> {line.text}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

// Overview: equity (live), today's P&L and the account, open positions (net and by strategy), working orders,
// risk and the kill switch, health (brokers too) and the session's pace.

import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { EquityChart } from '../EquityChart.js';
import { qty } from '../format.js';
import { useChannel, useReloadOn, useResource } from '../hooks.js';
import { KillSwitch, type SwitchState } from '../KillSwitch.js';
import { Brokers, PositionsByStrategy } from '../OverviewBooks.js';
import { Health, SessionPanel } from '../SessionPanel.js';
import type { Order, Paged, Portfolio, Position } from '../types.js';
import { ErrorLine, Num, Panel, Stat } from '../ui.js';

export function Overview() {
  const p = useResource<Portfolio>('/portfolio');
  const [portfolio, setPortfolio] = useState<Portfolio | null>(null);
  useEffect(() => setPortfolio(p.data), [p.data]);
  useChannel('portfolio', (e) => setPortfolio(e.data as Portfolio));
  const [points, setPoints] = useState(0);
  return (
    <div class="grid">
      <Panel title="Account" id="account" wide>
        <ErrorLine error={p.error} />
        {portfolio ? (
          <div class="stats">
            <Stat label="Equity" id="equity">
              <Num value={portfolio.equity} />
            </Stat>
            <Stat label="Today's P&L" id="day-pnl">
              <Num value={portfolio.dayPnl} pnl />
            </Stat>
            <Stat label="Cash">
              <Num value={portfolio.cash} />
            </Stat>
            <Stat label="Realized P&L">
              <Num value={portfolio.realizedPnl} pnl />
            </Stat>
            <Stat label="Unrealized P&L">
              <Num value={portfolio.unrealizedPnl} pnl />
            </Stat>
          </div>
        ) : null}
        <EquityChart onPoint={setPoints} />
        <p class="muted small" id="equity-points" data-points={points}>
          {points} equity points
        </p>
      </Panel>
      <Panel title="Open positions" id="positions">
        <Positions />
      </Panel>
      <Panel title="Positions by strategy" id="positions-by-strategy">
        <PositionsByStrategy />
      </Panel>
      <Panel title="Working orders" id="working-orders">
        <WorkingOrders />
      </Panel>
      <Panel title="Risk" id="risk">
        <RiskSummary />
      </Panel>
      <Panel title="Session" id="session-panel">
        <SessionPanel />
        <h3>Health</h3>
        <Health />
        <h3>Brokers</h3>
        <Brokers />
      </Panel>
    </div>
  );
}

function Positions() {
  const r = useResource<{ items: Position[] }>('/positions');
  const [items, setItems] = useState<Position[]>([]);
  useEffect(() => setItems(r.data?.items ?? []), [r.data]);
  useChannel('positions', (e) => setItems(e.data as Position[]));
  const open = items.filter((x) => x.quantity !== 0);
  if (open.length === 0) return <p class="muted">No open positions.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col" class="r">Qty</th>
          <th scope="col" class="r">Avg</th>
          <th scope="col" class="r">Last</th>
          <th scope="col" class="r">Unrealized</th>
        </tr>
      </thead>
      <tbody>
        {open.map((x) => (
          <tr key={x.symbol}>
            <td>{x.symbol}</td>
            <td class="r">{qty(x.quantity)}</td>
            <td class="r">
              <Num value={x.avgPrice} />
            </td>
            <td class="r">
              <Num value={x.lastPrice} />
            </td>
            <td class="r">
              <Num value={x.unrealizedPnl} pnl />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WorkingOrders() {
  const r = useResource<Paged<Order>>('/orders?open=true&limit=50');
  useReloadOn(['orders'], r.reload);
  const items = r.data?.items ?? [];
  if (items.length === 0) return <p class="muted">No working orders.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Side</th>
          <th scope="col" class="r">Qty</th>
          <th scope="col">Type</th>
          <th scope="col" class="r">Limit</th>
          <th scope="col" class="r">Stop</th>
        </tr>
      </thead>
      <tbody>
        {items.map((o) => (
          <tr key={o.id}>
            <td>
              #{o.id} {o.symbol}
            </td>
            <td>{o.side}</td>
            <td class="r">{qty(o.quantity)}</td>
            <td>{o.type}</td>
            <td class="r">
              <Num value={o.limitPrice} />
            </td>
            <td class="r">
              <Num value={o.stopPrice} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RiskSummary() {
  const { me } = useApp();
  const r = useResource<{ killSwitch: SwitchState; recentDenials: { code: string; message: string }[] }>('/risk/status');
  useChannel('risk', (e) => {
    if ((e.data as { kind?: string }).kind !== 'snapshot') r.reload();
  });
  return (
    <div>
      <ErrorLine error={r.error} />
      <KillSwitch state={r.data?.killSwitch ?? null} onChange={r.reload} />
      {r.data && r.data.recentDenials.length > 0 ? (
        <p class="small" id="last-denial">
          Last refusal: {r.data.recentDenials[0]?.code} {r.data.recentDenials[0]?.message}
        </p>
      ) : null}
      <p class="muted small">Signed in as {me.role}.</p>
    </div>
  );
}

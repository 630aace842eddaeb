// Orders & trades: the ticket (traders only), the orders list with modify/cancel, and the trade history.

import { useState } from 'preact/hooks';
import { allows, useApp } from '../context.js';
import { OrderTicket } from '../orders/OrderTicket.js';
import { OrdersTable } from '../orders/OrdersTable.js';
import { TradesTable } from '../orders/TradesTable.js';
import { Panel } from '../ui.js';

export function Orders() {
  const { me } = useApp();
  const [version, setVersion] = useState(0);
  return (
    <div class="grid">
      {allows(me.role, 'trader') ? (
        <Panel title="New order" id="ticket" wide>
          <OrderTicket onSent={() => setVersion((v) => v + 1)} />
          <p class="muted small">
            A take-profit and/or stop-loss on a market or limit entry makes a bracket: the exits work once the entry fills. OPG and CLS trade in the opening and closing auction, at brokers that have them (Alpaca); the simulated exchange refuses them.
          </p>
        </Panel>
      ) : null}
      <Panel title="Orders" id="orders-panel" wide>
        <OrdersTable version={version} />
      </Panel>
      <Panel title="Trades" id="trades-panel" wide>
        <TradesTable />
      </Panel>
    </div>
  );
}

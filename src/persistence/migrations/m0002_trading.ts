// Trading state: orders (write-ahead, keyed by client order id), fills, snapshots, strategies, the kill switch.

import type { Migration } from './types.js';

export const m0002: Migration = {
  version: 2,
  name: 'trading',
  sql: `
create table strategies (
  id bigserial primary key,
  name text not null unique,
  strategy_ref text not null,
  parameters jsonb not null default '{}'::jsonb,
  status text not null default 'stopped',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table orders (
  client_order_id text primary key,
  broker_order_id text,
  strategy_id bigint references strategies (id),
  symbol text not null,
  side text not null check (side in ('buy', 'sell')),
  quantity double precision not null check (quantity > 0),
  type text not null,
  time_in_force text not null,
  limit_price double precision,
  stop_price double precision,
  trail_amount double precision,
  trail_percent double precision,
  parent_client_order_id text references orders (client_order_id),
  oco_group text,
  status text not null,
  filled_quantity double precision not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index orders_status_idx on orders (status);
create unique index orders_broker_id_idx on orders (broker_order_id) where broker_order_id is not null;

create table fills (
  id bigserial primary key,
  client_order_id text not null references orders (client_order_id),
  broker_fill_id text,
  ts timestamptz not null,
  price double precision not null,
  quantity double precision not null check (quantity > 0),
  commission double precision not null default 0,
  liquidity text
);
create index fills_order_idx on fills (client_order_id);
create unique index fills_broker_id_idx on fills (broker_fill_id) where broker_fill_id is not null;

create table account_snapshots (
  id bigserial primary key,
  ts timestamptz not null,
  account text not null default 'default',
  cash double precision not null,
  equity double precision not null,
  buying_power double precision,
  realized_pnl double precision not null default 0,
  unrealized_pnl double precision not null default 0
);
create index account_snapshots_ts_idx on account_snapshots (account, ts);

create table position_snapshots (
  id bigserial primary key,
  ts timestamptz not null,
  account text not null default 'default',
  symbol text not null,
  quantity double precision not null,
  average_price double precision not null,
  realized_pnl double precision not null default 0,
  unrealized_pnl double precision not null default 0
);
create index position_snapshots_ts_idx on position_snapshots (account, symbol, ts);

create table risk_state (
  account text primary key default 'default',
  kill_switch boolean not null default false,
  reason text,
  tripped_at timestamptz,
  reset_at timestamptz,
  updated_at timestamptz not null default now()
);
`,
};

// Paper sessions (docs/decisions/0005): the session and its recorded actions, and the columns that tie
// orders, fills and account snapshots to a session and a strategy instance.

import type { Migration } from './types.js';

export const m0006: Migration = {
  version: 6,
  name: 'paper_sessions',
  sql: `
create table paper_sessions (
  id text primary key,
  config jsonb not null,
  status text not null default 'created',
  last_step integer not null default -1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table paper_session_actions (
  session_id text not null references paper_sessions (id) on delete cascade,
  seq integer not null,
  after_step integer not null,
  action jsonb not null,
  created_at timestamptz not null default now(),
  primary key (session_id, seq)
);

alter table orders add column session_id text references paper_sessions (id) on delete cascade;
alter table orders add column order_no integer;
alter table orders add column parent_order_no integer;
alter table orders add column strategy_name text;
alter table orders add column tag text;
alter table orders add column role text;
alter table orders add column avg_fill_price double precision not null default 0;
alter table orders add column reject_reason text;
create index orders_session_idx on orders (session_id, order_no);

alter table fills add column session_id text references paper_sessions (id) on delete cascade;
alter table fills add column symbol text;
alter table fills add column side text;
alter table fills add column strategy_name text;
create index fills_session_idx on fills (session_id, ts);
`,
};

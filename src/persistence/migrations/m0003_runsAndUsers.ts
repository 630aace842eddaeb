// Backtest runs with their config, metrics and full JSON result; users, refresh tokens and the audit log.

import type { Migration } from './types.js';

export const m0003: Migration = {
  version: 3,
  name: 'runs_users_audit',
  sql: `
create table backtest_runs (
  id bigserial primary key,
  strategy_ref text not null,
  config jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'canceled')),
  progress double precision not null default 0 check (progress between 0 and 1),
  metrics jsonb,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index backtest_runs_status_idx on backtest_runs (status, created_at);

create table users (
  id bigserial primary key,
  username text not null unique,
  password_hash text not null,
  role text not null check (role in ('viewer', 'trader', 'admin')),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table refresh_tokens (
  token_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  family text not null,
  expires_at timestamptz not null,
  spent_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

create table audit_log (
  id bigserial primary key,
  ts timestamptz not null default now(),
  user_id bigint references users (id),
  action text not null,
  target text,
  details jsonb not null default '{}'::jsonb,
  ip text
);
create index audit_log_ts_idx on audit_log (ts);
`,
};

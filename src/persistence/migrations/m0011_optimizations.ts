// Optimization runs (API jobs and `pi5 optimize --store`) and every trial of each with all its metrics, so a
// run can be read, sorted and compared after the process that ran it is gone.

import type { Migration } from './types.js';

export const m0011: Migration = {
  version: 11,
  name: 'optimizations',
  sql: `
create table optimization_runs (
  id bigserial primary key,
  strategy_ref text not null,
  method text not null,
  objective text not null,
  config jsonb not null,
  origin text not null default 'api' check (origin in ('api', 'cli')),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'canceled', 'interrupted')),
  progress double precision not null default 0 check (progress between 0 and 1),
  trials_planned integer,
  trials_done integer not null default 0,
  best_objective double precision,
  result jsonb,
  report_html text,
  error text,
  user_id bigint references users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index optimization_runs_created_idx on optimization_runs (created_at desc, id desc);
create index optimization_runs_status_idx on optimization_runs (status);

create table optimization_trials (
  run_id bigint not null references optimization_runs (id) on delete cascade,
  seq integer not null,
  wf_window integer,
  trial integer not null,
  params jsonb not null,
  point jsonb not null,
  objective double precision,
  feasible boolean not null,
  violated jsonb not null,
  metrics jsonb not null,
  primary key (run_id, seq)
);
`,
};

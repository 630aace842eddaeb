// Market data: instruments and bars. Prices are double precision: the kernel works on Float64 columns,
// float8 round-trips them exactly (so a backtest from the store equals one from the CSV), and exact
// decisions come from the tick size kept in instruments.price_decimals, not from numeric storage.

import type { Migration } from './types.js';

export const m0001: Migration = {
  version: 1,
  name: 'market_data',
  sql: `
create table instruments (
  symbol text primary key,
  name text,
  asset_class text not null default 'equity',
  currency text not null default 'USD',
  price_decimals smallint not null default 2 check (price_decimals between 0 and 8),
  created_at timestamptz not null default now()
);

create table bars (
  symbol text not null,
  timeframe text not null,
  ts timestamptz not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  volume double precision not null check (volume >= 0),
  primary key (symbol, timeframe, ts),
  check (high >= low)
);
-- The primary key's btree serves range scans (symbol, timeframe, ts between ...); this one serves
-- "everything in a time window" scans across symbols.
create index bars_timeframe_ts_idx on bars (timeframe, ts);
`,
};

// Trades (ticks). timestamptz keeps microseconds, the finest instant most feeds give; several trades in one
// microsecond are told apart by seq (their order in the source), so (symbol, ts, seq) is the key and an
// import of the same file twice is a no-op. Prices are float8 like bars (decision 0004).

import type { Migration } from './types.js';

export const m0009: Migration = {
  version: 9,
  name: 'ticks',
  sql: `
create table ticks (
  symbol text not null,
  ts timestamptz not null,
  seq integer not null default 0 check (seq >= 0),
  price double precision not null,
  size double precision not null check (size >= 0),
  bid double precision,
  ask double precision,
  exchange text,
  conditions text,
  primary key (symbol, ts, seq)
);
-- As for bars: ticks arrive symbol by symbol in time order, so a BRIN index narrows cross-symbol
-- time-window scans at almost no insert cost; the primary key serves per-symbol range reads.
create index ticks_ts_brin on ticks using brin (ts) with (autosummarize = on);
`,
};

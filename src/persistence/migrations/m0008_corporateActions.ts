// Corporate actions beside the raw bars (DESIGN.md §8): splits and cash dividends per symbol and ex-date, so
// adjusted series can be derived from stored raw bars. One row per symbol, kind and ex-date: a provider
// sending the same action again updates it in place.

import type { Migration } from './types.js';

export const m0008: Migration = {
  version: 8,
  name: 'corporate_actions',
  sql: `
create table corporate_actions (
  symbol text not null,
  kind text not null check (kind in ('split', 'dividend')),
  ex_date date not null,
  numerator double precision,
  denominator double precision,
  amount double precision,
  currency text,
  source text not null,
  updated_at timestamptz not null default now(),
  primary key (symbol, kind, ex_date),
  check (
    (kind = 'split' and numerator > 0 and denominator > 0 and amount is null and currency is null)
    or (kind = 'dividend' and amount >= 0 and currency is not null and numerator is null and denominator is null)
  )
);
`,
};

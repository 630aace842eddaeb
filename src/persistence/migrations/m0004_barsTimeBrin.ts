// The cross-symbol time index on bars becomes a BRIN index: the (timeframe, ts) btree cost a third of
// bulk-ingest time (docs/storage.md, Performance), and nothing reads bars without a symbol but window scans.

import type { Migration } from './types.js';

export const m0004: Migration = {
  version: 4,
  name: 'bars_time_brin',
  // Bars arrive series by series in time order, so heap pages hold narrow ts ranges and a BRIN index
  // still narrows a "all symbols in this window" scan to the pages that matter, at almost no insert cost.
  // The primary key (symbol, timeframe, ts) keeps serving per-series range reads.
  sql: `
drop index if exists bars_timeframe_ts_idx;
create index bars_ts_brin on bars using brin (ts) with (autosummarize = on);
`,
};

// Backtests run over the API: who asked for each run, and its rendered HTML report (the renderer needs the
// in-memory result, which the stored JSON cannot rebuild, so the page is rendered once when the run ends).

import type { Migration } from './types.js';

export const m0007: Migration = {
  version: 7,
  name: 'backtest_reports',
  sql: `
alter table backtest_runs add column user_id bigint references users (id) on delete set null;
alter table backtest_runs add column report_html text;
create index backtest_runs_created_idx on backtest_runs (created_at desc, id desc);
`,
};

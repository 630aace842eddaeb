// Live paper sessions: the market time of a session's last stored step, so that recovery reads back from the
// bar store exactly the bars of the steps it stored (docs/decisions/0005, live mode).

import type { Migration } from './types.js';

export const m0010: Migration = {
  version: 10,
  name: 'live_sessions',
  sql: `
alter table paper_sessions add column last_step_ts timestamptz;
`,
};

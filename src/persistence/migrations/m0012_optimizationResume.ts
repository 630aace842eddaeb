// Resuming API optimizations after a restart: the request a run was created from (so the next process can
// run it again), how often it was resumed and how many stored trials the last resume reused.

import type { Migration } from './types.js';

export const m0012: Migration = {
  version: 12,
  name: 'optimization resume',
  sql: `
alter table optimization_runs add column request jsonb;
alter table optimization_runs add column resumes integer not null default 0;
alter table optimization_runs add column trials_reused integer not null default 0;
`,
};

// A session write retried after its COMMIT reached the database but the answer did not (the connection died in
// between) must not store its fills twice: each fill carries its number in the session, unique per session.
// Rows written before this migration keep a null number and stay as they are.

import type { Migration } from './types.js';

export const m0013: Migration = {
  version: 13,
  name: 'idempotent session writes',
  sql: `
alter table fills add column fill_no integer;
create unique index fills_session_fill_no_idx on fills (session_id, fill_no) where fill_no is not null;
`,
};

// Authentication state (docs/security.md): first-run and reset passwords that must be changed, a cut-off
// that kills access tokens issued before a password change or disable, revoked refresh-token families,
// and the outcome of each audited action.

import type { Migration } from './types.js';

export const m0005: Migration = {
  version: 5,
  name: 'auth',
  sql: `
alter table users add column must_change_password boolean not null default false;
alter table users add column last_login_at timestamptz;
-- Access tokens are stateless; ones issued (iat) before this instant are refused (password change, disable).
alter table users add column sessions_revoked_at timestamptz;

alter table refresh_tokens add column revoked_at timestamptz;
create index refresh_tokens_family_idx on refresh_tokens (family);

alter table audit_log add column outcome text not null default 'ok' check (outcome in ('ok', 'denied', 'error'));
create index audit_log_user_idx on audit_log (user_id, id);
create index audit_log_action_idx on audit_log (action, id);
`,
};

// Refresh tokens, stored only as SHA-256 hashes (a database leak yields no usable token). A family is the
// chain of rotations from one login; revoking the family ends that session everywhere.

import type { Queryable } from '../database.js';

export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly userId: number;
  readonly family: string;
  readonly expiresAt: Date;
  readonly spentAt: Date | null;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

interface Row {
  token_hash: string;
  user_id: number | string;
  family: string;
  expires_at: Date | string;
  spent_at: Date | string | null;
  revoked_at: Date | string | null;
  created_at: Date | string;
}

const COLUMNS = 'token_hash, user_id, family, expires_at, spent_at, revoked_at, created_at';

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toRecord(r: Row): RefreshTokenRecord {
  return {
    tokenHash: r.token_hash,
    userId: Number(r.user_id),
    family: r.family,
    expiresAt: new Date(r.expires_at),
    spentAt: date(r.spent_at),
    revokedAt: date(r.revoked_at),
    createdAt: new Date(r.created_at),
  };
}

export class RefreshTokenRepository {
  constructor(private readonly db: Queryable) {}

  async insert(t: { tokenHash: string; userId: number; family: string; expiresAt: Date }): Promise<void> {
    await this.db.query('insert into refresh_tokens (token_hash, user_id, family, expires_at) values ($1, $2, $3, $4)', [
      t.tokenHash,
      t.userId,
      t.family,
      t.expiresAt.toISOString(),
    ]);
  }

  /**
   * The token's row, locked until the transaction ends (call inside one): two concurrent refreshes with
   * the same token then run one after the other, and the second sees the first one's spent_at.
   */
  async findForUpdate(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const rows = await this.db.query<Row>(`select ${COLUMNS} from refresh_tokens where token_hash = $1 for update`, [tokenHash]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async find(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const rows = await this.db.query<Row>(`select ${COLUMNS} from refresh_tokens where token_hash = $1`, [tokenHash]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** Marks the token used; false when it already was (then the caller treats it as reuse). */
  async markSpent(tokenHash: string): Promise<boolean> {
    const rows = await this.db.query('update refresh_tokens set spent_at = now() where token_hash = $1 and spent_at is null returning token_hash', [tokenHash]);
    return rows.length > 0;
  }

  /** Revokes every live token of a family; returns how many were live. */
  async revokeFamily(family: string): Promise<number> {
    const rows = await this.db.query('update refresh_tokens set revoked_at = now() where family = $1 and revoked_at is null returning token_hash', [family]);
    return rows.length;
  }

  /** Revokes every live token of a user (password change, disable); returns how many were live. */
  async revokeAllForUser(userId: number): Promise<number> {
    const rows = await this.db.query('update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null returning token_hash', [userId]);
    return rows.length;
  }

  /** Housekeeping: drops tokens expired before `before`; returns how many. */
  async deleteExpired(before: Date = new Date()): Promise<number> {
    const rows = await this.db.query('delete from refresh_tokens where expires_at < $1 returning token_hash', [before.toISOString()]);
    return rows.length;
  }
}

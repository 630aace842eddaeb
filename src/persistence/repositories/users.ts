// Users of the API: name, password hash, role, disabled state. Same SQL on PostgreSQL and PGlite; ids are
// bigint in the schema and normalized to numbers here (pg hands them back as strings, PGlite as numbers).

import { Pi5Error } from '../../core/errors.js';
import type { Queryable } from '../database.js';

export const USER_ROLES = ['viewer', 'trader', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  readonly id: number;
  readonly username: string;
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  readonly mustChangePassword: boolean;
  readonly lastLoginAt: Date | null;
  /** Access tokens issued before this instant are refused (password change, disable). */
  readonly sessionsRevokedAt: Date | null;
}

interface UserRow {
  id: number | string;
  username: string;
  password_hash: string;
  role: UserRole;
  created_at: Date | string;
  disabled_at: Date | string | null;
  must_change_password: boolean;
  last_login_at: Date | string | null;
  sessions_revoked_at: Date | string | null;
}

const COLUMNS = 'id, username, password_hash, role, created_at, disabled_at, must_change_password, last_login_at, sessions_revoked_at';

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toUser(r: UserRow): User {
  return {
    id: Number(r.id),
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role,
    createdAt: new Date(r.created_at),
    disabledAt: date(r.disabled_at),
    mustChangePassword: r.must_change_password,
    lastLoginAt: date(r.last_login_at),
    sessionsRevokedAt: date(r.sessions_revoked_at),
  };
}

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly mustChangePassword?: boolean;
}

export class UserRepository {
  constructor(private readonly db: Queryable) {}

  /** Inserts a user; PI5_ERR_USER_EXISTS when the name is taken (checked by the unique index, race-free). */
  async create(u: NewUser): Promise<User> {
    const rows = await this.db.query<UserRow>(
      `insert into users (username, password_hash, role, must_change_password) values ($1, $2, $3, $4)
       on conflict (username) do nothing returning ${COLUMNS}`,
      [u.username, u.passwordHash, u.role, u.mustChangePassword ?? false],
    );
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_USER_EXISTS', `user ${JSON.stringify(u.username)} already exists`, { username: u.username });
    return toUser(row);
  }

  async findByName(username: string): Promise<User | undefined> {
    const rows = await this.db.query<UserRow>(`select ${COLUMNS} from users where username = $1`, [username]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  async findById(id: number): Promise<User | undefined> {
    const rows = await this.db.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [id]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  async list(): Promise<User[]> {
    return (await this.db.query<UserRow>(`select ${COLUMNS} from users order by id`)).map(toUser);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('select count(*)::int as n from users');
    return rows[0]?.n ?? 0;
  }

  /**
   * New hash; also cuts off access tokens issued before `at`, so a stolen session ends with the old
   * password. `at` comes from the app's clock, the one that stamps tokens, not the database server's.
   */
  async setPassword(id: number, passwordHash: string, mustChangePassword: boolean, at: Date): Promise<void> {
    await this.updateOne(id, 'password_hash = $2, must_change_password = $3, sessions_revoked_at = $4::timestamptz', [passwordHash, mustChangePassword, at.toISOString()]);
  }

  /** Rehash after a parameter upgrade: same password, so sessions stay valid. */
  async replaceHash(id: number, passwordHash: string): Promise<void> {
    await this.updateOne(id, 'password_hash = $2', [passwordHash]);
  }

  /** Disabling also cuts off existing access tokens, so re-enabling does not revive them. */
  async setDisabled(id: number, disabled: boolean, at: Date): Promise<void> {
    if (disabled) await this.updateOne(id, 'disabled_at = coalesce(disabled_at, $2::timestamptz), sessions_revoked_at = $2::timestamptz', [at.toISOString()]);
    else await this.updateOne(id, 'disabled_at = null', []);
  }

  async setRole(id: number, role: UserRole): Promise<void> {
    await this.updateOne(id, 'role = $2', [role]);
  }

  async recordLogin(id: number): Promise<void> {
    await this.updateOne(id, 'last_login_at = now()', []);
  }

  private async updateOne(id: number, set: string, params: readonly unknown[]): Promise<void> {
    const rows = await this.db.query(`update users set ${set} where id = $1 returning id`, [id, ...params]);
    if (rows.length === 0) throw new Pi5Error('PI5_ERR_UNKNOWN_USER', `no user with id ${id}`, { userId: id });
  }
}

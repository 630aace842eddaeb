// User administration shared by the CLI (`pi5 user ...`) and the admin API: create, set password,
// disable/enable, change role. Each change is audited and ends sessions where it must.

import { Pi5Error } from '../core/errors.js';
import type { Database } from '../persistence/database.js';
import { AuditRepository } from '../persistence/repositories/audit.js';
import { RefreshTokenRepository } from '../persistence/repositories/refreshTokens.js';
import { UserRepository, type User } from '../persistence/repositories/users.js';
import { checkPasswordPolicy, DEFAULT_SCRYPT, generatePassword, hashPassword, type ScryptParams } from './password.js';
import { isRole, ROLES, type Role } from './roles.js';
import { publicUser, type AuditContext, type PublicUser } from './types.js';

/** 2-64 characters: letters, digits and `._@-`, starting with a letter or digit. */
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new Pi5Error('PI5_ERR_BAD_USERNAME', `username ${JSON.stringify(username)}: use 2-64 letters, digits or . _ @ -, starting with a letter or digit`, { username });
  }
}

export function checkRole(role: string): Role {
  if (!isRole(role)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `role ${JSON.stringify(role)}: must be one of ${ROLES.join(', ')}`, { role });
  return role;
}

/** A user by id (number) or username (string). */
export type UserRef = number | string;

export interface UserAdminOptions {
  readonly scrypt?: ScryptParams;
  /** Called after a user's status changes, so a cache of user status (AuthService) can drop the entry. */
  readonly onUserChanged?: (userId: number) => void;
  readonly now?: () => number;
}

export interface CreatedUser {
  readonly user: PublicUser;
  /** Set when no password was given: show it once; the account must change it at first login. */
  readonly oneTimePassword?: string;
}

export class UserAdmin {
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly opts: UserAdminOptions = {},
  ) {
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
    this.now = opts.now ?? Date.now;
  }

  async list(): Promise<PublicUser[]> {
    return (await new UserRepository(this.db).list()).map(publicUser);
  }

  async get(ref: UserRef): Promise<PublicUser> {
    return publicUser(await this.find(ref));
  }

  /** Creates a user; without `password`, generates a one-time one that must be changed at first login. */
  async create(input: { username: string; role: string; password?: string }, ctx: AuditContext = {}): Promise<CreatedUser> {
    checkUsername(input.username);
    const role = checkRole(input.role);
    const given = input.password;
    if (given !== undefined) checkPasswordPolicy(given, input.username);
    const password = given ?? generatePassword();
    const passwordHash = await hashPassword(password, this.scrypt);
    const user = await this.db.transaction(async (tx) => {
      const created = await new UserRepository(tx).create({ username: input.username, passwordHash, role, mustChangePassword: given === undefined });
      await new AuditRepository(tx).append({ ...audited(ctx, 'user.create', created), details: { role, via: ctx.via, oneTimePassword: given === undefined } });
      return created;
    });
    return given === undefined ? { user: publicUser(user), oneTimePassword: password } : { user: publicUser(user) };
  }

  /**
   * Sets a user's password (an admin reset, not the user's own change): ends all their sessions. Without
   * `password`, generates a one-time one that must be changed at the next login.
   */
  async setPassword(ref: UserRef, password: string | undefined, ctx: AuditContext = {}): Promise<{ oneTimePassword?: string }> {
    const user = await this.find(ref);
    if (password !== undefined) checkPasswordPolicy(password, user.username);
    const chosen = password ?? generatePassword();
    const passwordHash = await hashPassword(chosen, this.scrypt);
    await this.db.transaction(async (tx) => {
      await new UserRepository(tx).setPassword(user.id, passwordHash, password === undefined, new Date(this.now()));
      const revoked = await new RefreshTokenRepository(tx).revokeAllForUser(user.id);
      await new AuditRepository(tx).append({ ...audited(ctx, 'user.password_set', user), details: { via: ctx.via, revokedTokens: revoked } });
    });
    this.opts.onUserChanged?.(user.id);
    return password === undefined ? { oneTimePassword: chosen } : {};
  }

  /** Disabling revokes every refresh token and cuts off access tokens; enabling does not revive them. */
  async setDisabled(ref: UserRef, disabled: boolean, ctx: AuditContext = {}): Promise<PublicUser> {
    const user = await this.find(ref);
    await this.db.transaction(async (tx) => {
      await new UserRepository(tx).setDisabled(user.id, disabled, new Date(this.now()));
      const revoked = disabled ? await new RefreshTokenRepository(tx).revokeAllForUser(user.id) : 0;
      await new AuditRepository(tx).append({ ...audited(ctx, disabled ? 'user.disable' : 'user.enable', user), details: { via: ctx.via, revokedTokens: revoked } });
    });
    this.opts.onUserChanged?.(user.id);
    return this.get(user.id);
  }

  async setRole(ref: UserRef, role: string, ctx: AuditContext = {}): Promise<PublicUser> {
    const next = checkRole(role);
    const user = await this.find(ref);
    await this.db.transaction(async (tx) => {
      await new UserRepository(tx).setRole(user.id, next);
      await new AuditRepository(tx).append({ ...audited(ctx, 'user.role', user), details: { via: ctx.via, from: user.role, to: next } });
    });
    this.opts.onUserChanged?.(user.id);
    return this.get(user.id);
  }

  private async find(ref: UserRef): Promise<User> {
    const repo = new UserRepository(this.db);
    const user = typeof ref === 'number' ? await repo.findById(ref) : await repo.findByName(ref);
    if (user === undefined) throw new Pi5Error('PI5_ERR_UNKNOWN_USER', `no user ${typeof ref === 'number' ? `with id ${ref}` : `named ${JSON.stringify(ref)}`}`, { user: ref });
    return user;
  }
}

function audited(ctx: AuditContext, action: string, target: User): { userId: number | null; action: string; target: string; ip: string | null } {
  return { userId: ctx.actorId ?? null, action, target: `user:${target.username}`, ip: ctx.ip ?? null };
}

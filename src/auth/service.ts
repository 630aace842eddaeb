// Login, refresh-token rotation with reuse detection, logout, password change and access-token checks
// (docs/security.md). Refresh tokens are opaque random strings stored as SHA-256 hashes; access tokens
// are HS256 JWTs checked against the user's current status (cached briefly).

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Pi5Error } from '../core/errors.js';
import type { Database, Queryable } from '../persistence/database.js';
import { AuditRepository, type AuditInput } from '../persistence/repositories/audit.js';
import { RefreshTokenRepository } from '../persistence/repositories/refreshTokens.js';
import { UserRepository, type User } from '../persistence/repositories/users.js';
import { DEFAULT_ACCESS_TTL_SEC, DEFAULT_CLOCK_SKEW_SEC, signAccessToken, verifyAccessToken } from './jwt.js';
import { checkPasswordPolicy, DEFAULT_SCRYPT, hashPassword, needsRehash, PASSWORD_MAX_LENGTH, unmatchableHash, verifyPassword, type ScryptParams } from './password.js';
import type { AccessIdentity, AuditContext, TokenPair } from './types.js';
import { UserAdmin } from './userAdmin.js';
import { UserStatusCache } from './userStatusCache.js';

export interface AuthServiceOptions {
  /** HS256 key (loadJwtSecret). */
  readonly secret: Uint8Array;
  /** Access token lifetime; default 15 minutes. */
  readonly accessTtlSec?: number;
  /** Refresh token lifetime, renewed at each rotation; default 7 days. */
  readonly refreshTtlSec?: number;
  readonly clockSkewSec?: number;
  /** How long verifyAccess trusts a looked-up user status; default 5 s. 0 looks up every time. */
  readonly statusCacheMs?: number;
  readonly scrypt?: ScryptParams;
  /** Clock for token stamps and expiry (tests move it). */
  readonly now?: () => number;
}

export const DEFAULT_REFRESH_TTL_SEC = 7 * 24 * 3600;

const BAD_LOGIN = 'invalid username or password';

type RefreshOutcome = { ok: true; pair: TokenPair } | { ok: false; reason: string; userId?: number };

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function unauthenticated(message: string, reason: string): Pi5Error {
  return new Pi5Error('PI5_ERR_UNAUTHENTICATED', message, { reason });
}

export class AuthService {
  /** User administration with this service's status cache kept in step. */
  readonly users: UserAdmin;
  private readonly secret: Uint8Array;
  private readonly accessTtlSec: number;
  private readonly refreshTtlSec: number;
  private readonly skewSec: number;
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;
  private readonly status: UserStatusCache;
  /** Verified against when the user is unknown: no password matches it, and checking costs what a real hash does. */
  private readonly dummyHash: string;

  constructor(
    private readonly db: Database,
    opts: AuthServiceOptions,
  ) {
    this.secret = opts.secret;
    this.accessTtlSec = opts.accessTtlSec ?? DEFAULT_ACCESS_TTL_SEC;
    this.refreshTtlSec = opts.refreshTtlSec ?? DEFAULT_REFRESH_TTL_SEC;
    this.skewSec = opts.clockSkewSec ?? DEFAULT_CLOCK_SKEW_SEC;
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
    this.now = opts.now ?? Date.now;
    this.status = new UserStatusCache(db, opts.statusCacheMs ?? 5000, this.now);
    this.users = new UserAdmin(db, { scrypt: this.scrypt, now: this.now, onUserChanged: (id) => this.status.forget(id) });
    // Ready before the first login, which then costs one scrypt whether or not the user exists.
    this.dummyHash = unmatchableHash(this.scrypt);
  }

  /**
   * Checks credentials and opens a new session (refresh-token family). An unknown user, a wrong password
   * and a disabled account give the same error after the same scrypt work, so names cannot be probed.
   */
  async login(username: string, password: string, ctx: AuditContext = {}): Promise<TokenPair> {
    const users = new UserRepository(this.db);
    const user = await users.findByName(username);
    // An oversized password cannot be right (the policy caps length); checking '' keeps the work bounded and equal.
    const candidate = password.length > PASSWORD_MAX_LENGTH ? '' : password;
    const ok = await verifyPassword(candidate, user?.passwordHash ?? this.dummyHash);
    const reason = user === undefined ? 'unknown_user' : !ok ? 'bad_password' : user.disabledAt !== null ? 'disabled' : undefined;
    if (user === undefined || reason !== undefined) {
      await this.audit({ userId: user?.id ?? null, action: 'auth.login', target: `user:${username.slice(0, 64)}`, ip: ctx.ip ?? null, outcome: 'denied', details: { reason } });
      throw unauthenticated(BAD_LOGIN, 'bad_credentials');
    }
    if (needsRehash(user.passwordHash, this.scrypt)) await users.replaceHash(user.id, await hashPassword(password, this.scrypt));
    return this.db.transaction(async (tx) => {
      await new UserRepository(tx).recordLogin(user.id);
      const pair = await this.issue(tx, user, randomUUID());
      await new AuditRepository(tx).append({ userId: user.id, action: 'auth.login', target: `user:${user.username}`, ip: ctx.ip ?? null });
      return pair;
    });
  }

  /**
   * Spends `refreshToken` and returns a new pair in the same family. A token presented after it was
   * spent means two parties hold it (one stole it): the whole family is revoked and the event audited.
   */
  async refresh(refreshToken: string, ctx: AuditContext = {}): Promise<TokenPair> {
    const hash = hashRefreshToken(refreshToken);
    const outcome = await this.db.transaction(async (tx): Promise<RefreshOutcome> => {
      const tokens = new RefreshTokenRepository(tx);
      const rec = await tokens.findForUpdate(hash);
      if (rec === undefined) return { ok: false, reason: 'unknown' };
      if (rec.revokedAt !== null) return { ok: false, reason: 'revoked', userId: rec.userId };
      if (rec.spentAt !== null) {
        // Committed with the transaction (we return rather than throw), so the revocation sticks.
        const revoked = await tokens.revokeFamily(rec.family);
        await new AuditRepository(tx).append({
          userId: rec.userId, action: 'auth.refresh_reuse', target: `family:${rec.family}`, ip: ctx.ip ?? null, outcome: 'denied', details: { revokedTokens: revoked },
        });
        return { ok: false, reason: 'reused', userId: rec.userId };
      }
      if (rec.expiresAt.getTime() <= this.now()) return { ok: false, reason: 'expired', userId: rec.userId };
      const user = await new UserRepository(tx).findById(rec.userId);
      if (user === undefined || user.disabledAt !== null) {
        await tokens.revokeFamily(rec.family);
        return { ok: false, reason: 'disabled', userId: rec.userId };
      }
      await tokens.markSpent(hash);
      const pair = await this.issue(tx, user, rec.family);
      await new AuditRepository(tx).append({ userId: user.id, action: 'auth.refresh', target: `user:${user.username}`, ip: ctx.ip ?? null });
      return { ok: true, pair };
    });
    if (outcome.ok) return outcome.pair;
    if (outcome.reason !== 'reused') {
      await this.audit({ userId: outcome.userId ?? null, action: 'auth.refresh', ip: ctx.ip ?? null, outcome: 'denied', details: { reason: outcome.reason } });
    }
    throw unauthenticated(`refresh token is ${outcome.reason === 'unknown' ? 'not valid' : outcome.reason}; log in again`, outcome.reason);
  }

  /** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored: logout is idempotent. */
  async logout(refreshToken: string, ctx: AuditContext = {}): Promise<void> {
    const rec = await new RefreshTokenRepository(this.db).find(hashRefreshToken(refreshToken));
    if (rec === undefined || rec.revokedAt !== null) return;
    await this.db.transaction(async (tx) => {
      const revoked = await new RefreshTokenRepository(tx).revokeFamily(rec.family);
      await new AuditRepository(tx).append({ userId: rec.userId, action: 'auth.logout', target: `family:${rec.family}`, ip: ctx.ip ?? null, details: { revokedTokens: revoked } });
    });
  }

  /**
   * The user's own change: needs the current password, applies the policy, ends every session (refresh
   * tokens revoked, older access tokens refused) and returns a fresh pair for the caller's new session.
   */
  async changePassword(userId: number, oldPassword: string, newPassword: string, ctx: AuditContext = {}): Promise<TokenPair> {
    const user = await new UserRepository(this.db).findById(userId);
    if (user === undefined || user.disabledAt !== null) throw unauthenticated('this account no longer exists or is disabled', 'disabled');
    if (!(await verifyPassword(oldPassword, user.passwordHash))) {
      await this.audit({ userId, action: 'auth.password_change', target: `user:${user.username}`, ip: ctx.ip ?? null, outcome: 'denied', details: { reason: 'wrong_current' } });
      throw new Pi5Error('PI5_ERR_BAD_PASSWORD', 'current password: is not correct', { rule: 'wrong_current' });
    }
    checkPasswordPolicy(newPassword, user.username, 'new password');
    if (newPassword === oldPassword) throw new Pi5Error('PI5_ERR_BAD_PASSWORD', 'new password: must differ from the current one', { rule: 'same_as_current' });
    const passwordHash = await hashPassword(newPassword, this.scrypt);
    const pair = await this.db.transaction(async (tx) => {
      await new UserRepository(tx).setPassword(user.id, passwordHash, false, new Date(this.now()));
      const revoked = await new RefreshTokenRepository(tx).revokeAllForUser(user.id);
      await new AuditRepository(tx).append({ userId, action: 'auth.password_change', target: `user:${user.username}`, ip: ctx.ip ?? null, details: { revokedTokens: revoked } });
      return this.issue(tx, user, randomUUID());
    });
    this.status.forget(user.id);
    return pair;
  }

  /**
   * Checks an access token (HTTP Bearer or WebSocket) and returns who it proves. Refused: bad token, user
   * gone or disabled, token issued before the user's last password change or disable. Role and
   * mustChangePassword are the user's current values, at most `statusCacheMs` old.
   */
  async verifyAccess(token: string): Promise<AccessIdentity> {
    const claims = verifyAccessToken(token, this.secret, { nowMs: this.now(), skewSec: this.skewSec });
    const user = await this.status.get(Number(claims.sub));
    if (user === undefined) throw unauthenticated('access token: user no longer exists', 'unknown_user');
    if (user.disabledAt !== null) throw unauthenticated('access token: user is disabled', 'disabled');
    // Second granularity (iat): a token issued in the same second before the cut-off still passes.
    if (user.sessionsRevokedAt !== null && claims.iat < Math.floor(user.sessionsRevokedAt.getTime() / 1000)) {
      throw unauthenticated('access token: revoked by a password change or disable; log in again', 'revoked');
    }
    return { userId: user.id, username: user.username, role: user.role, mustChangePassword: user.mustChangePassword, tokenId: claims.jti, expiresAt: claims.exp };
  }

  private async issue(tx: Queryable, user: User, family: string): Promise<TokenPair> {
    const { token } = signAccessToken({ userId: user.id, username: user.username, role: user.role }, this.secret, { ttlSec: this.accessTtlSec, nowMs: this.now() });
    const refreshToken = randomBytes(32).toString('base64url');
    await new RefreshTokenRepository(tx).insert({
      tokenHash: hashRefreshToken(refreshToken), userId: user.id, family, expiresAt: new Date(this.now() + this.refreshTtlSec * 1000),
    });
    return { accessToken: token, refreshToken, expiresIn: this.accessTtlSec };
  }

  private audit(entry: AuditInput): Promise<number> {
    return new AuditRepository(this.db).append(entry);
  }
}

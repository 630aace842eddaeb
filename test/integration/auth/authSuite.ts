// The auth contract, written once and run against every engine (PostgreSQL and PGlite): login, refresh
// rotation with reuse detection, logout, password change, disabled users, first-run admin, audit log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/persistence/database.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { AuditRepository } from '../../../src/persistence/repositories/audit.js';
import { AuthService, hashRefreshToken } from '../../../src/auth/service.js';
import { bootstrapAdmin } from '../../../src/auth/bootstrap.js';
import { DEFAULT_SCRYPT, scryptWork, type ScryptWork } from '../../../src/auth/password.js';

/** Cheap parameters keep the suite fast; one test checks the upgrade to the real ones. */
const FAST = { N: 1024, r: 8, p: 1 };
const SECRET = Buffer.alloc(32, 3);
const PW = 'a long password 1';

const unauth = (reason?: string): unknown => expect.objectContaining({ code: 'PI5_ERR_UNAUTHENTICATED', ...(reason ? { details: { reason } } : {}) });

export function authSuite(engine: string, open: () => Promise<{ db: Database; done: () => Promise<void> }>): void {
  describe(`auth on ${engine}`, () => {
    let db: Database;
    let done: () => Promise<void>;
    let clock = Date.now();
    let auth: AuthService;
    const audit = (): AuditRepository => new AuditRepository(db);
    const newUser = async (username: string, role = 'trader'): Promise<number> => (await auth.users.create({ username, role, password: PW })).user.id;

    beforeAll(async () => {
      ({ db, done } = await open());
      await migrate(db);
      auth = new AuthService(db, { secret: SECRET, scrypt: FAST, now: () => clock });
    });
    afterAll(async () => done?.());

    it('first run without PI5_ADMIN_PASSWORD creates admin with a one-time password that must be changed', async () => {
      await expect(bootstrapAdmin(db, { env: { PI5_ADMIN_PASSWORD: 'short' }, scrypt: FAST })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PASSWORD', message: expect.stringMatching(/^PI5_ADMIN_PASSWORD: /) });
      const r = await bootstrapAdmin(db, { env: {}, scrypt: FAST });
      if (!r.created || r.passwordSource !== 'generated') throw new Error('expected a generated admin');
      expect(r.user).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
      expect(await bootstrapAdmin(db, { env: {}, scrypt: FAST })).toEqual({ created: false });
      const pair = await auth.login('admin', r.oneTimePassword);
      expect(await auth.verifyAccess(pair.accessToken)).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
      const next = await auth.changePassword(r.user.id, r.oneTimePassword, 'the admin password');
      expect((await auth.verifyAccess(next.accessToken)).mustChangePassword).toBe(false);
      const rows = await db.query<{ password_hash: string }>('select password_hash from users');
      expect(rows.every((x) => !x.password_hash.includes(r.oneTimePassword))).toBe(true);
      expect((await audit().list({ action: 'user.bootstrap_admin' })).entries[0]?.details).toEqual({ passwordSource: 'generated' });
    });

    it('first run with PI5_ADMIN_PASSWORD uses it, with no change required', async () => {
      await db.exec('delete from audit_log; delete from refresh_tokens; delete from users;');
      const r = await bootstrapAdmin(db, { env: { PI5_ADMIN_PASSWORD: 'chosen by the operator' }, scrypt: FAST });
      expect(r).toMatchObject({ created: true, passwordSource: 'env', user: { username: 'admin', mustChangePassword: false } });
      expect(r).not.toHaveProperty('oneTimePassword');
      const pair = await auth.login('admin', 'chosen by the operator');
      expect(await auth.verifyAccess(pair.accessToken)).toMatchObject({ role: 'admin', mustChangePassword: false });
    });

    it('login returns an access token, a refresh token and expiresIn, and audits it with the client ip', async () => {
      const id = await newUser('alice');
      const pair = await auth.login('alice', PW, { ip: '10.0.0.5' });
      expect(pair.expiresIn).toBe(900);
      expect(await auth.verifyAccess(pair.accessToken)).toMatchObject({ userId: id, username: 'alice', role: 'trader', mustChangePassword: false });
      const [entry] = (await audit().list({ userId: id, action: 'auth.login' })).entries;
      expect(entry).toMatchObject({ outcome: 'ok', ip: '10.0.0.5', target: 'user:alice' });
      const stored = await db.query<{ token_hash: string }>('select token_hash from refresh_tokens where user_id = $1', [id]);
      expect(stored.map((r) => r.token_hash)).toEqual([hashRefreshToken(pair.refreshToken)]);
    });

    it('unknown user, wrong password and disabled user get the same error, and each is audited as denied', async () => {
      await newUser('bob');
      await newUser('carol');
      await auth.users.setDisabled('carol', true);
      const errors = await Promise.all([auth.login('nobody', PW), auth.login('bob', 'wrong password!'), auth.login('carol', PW)].map((p) => p.catch((e: unknown) => e)));
      for (const e of errors) expect(e).toEqual(unauth('bad_credentials'));
      expect(new Set(errors.map((e) => (e as Error).message))).toEqual(new Set(['invalid username or password']));
      const denied = (await audit().list({ action: 'auth.login', outcome: 'denied' })).entries;
      expect(denied.map((d) => [d.target, d.details.reason]).sort()).toEqual(
        expect.arrayContaining([['user:bob', 'bad_password'], ['user:carol', 'disabled'], ['user:nobody', 'unknown_user']]),
      );
    });

    it('an unknown user costs the same scrypt work as a wrong password', async () => {
      // Work, not time: the number of key derivations and their N*r*p cost, so a loaded machine cannot flake it.
      const params = { N: 2 ** 12, r: 8, p: 2 };
      const slow = new AuthService(db, { secret: SECRET, scrypt: params, now: () => clock });
      await slow.users.create({ username: 'worker', role: 'trader', password: PW });
      const workOf = async (run: () => Promise<unknown>): Promise<ScryptWork> => {
        const before = scryptWork();
        await expect(run()).rejects.toEqual(unauth('bad_credentials'));
        const after = scryptWork();
        return { calls: after.calls - before.calls, cost: after.cost - before.cost };
      };
      const one = { calls: 1, cost: params.N * params.r * params.p };
      expect(await workOf(() => slow.login('no-such-user', 'wrong password!'))).toEqual(one);
      expect(await workOf(() => slow.login('worker', 'wrong password!'))).toEqual(one);
      expect(await workOf(() => slow.login('no-such-user', 'x'.repeat(5000)))).toEqual(one);
    });

    it('refresh spends the old token and returns a new pair in the same family', async () => {
      await newUser('dave');
      const first = await auth.login('dave', PW);
      const second = await auth.refresh(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect((await auth.verifyAccess(second.accessToken)).username).toBe('dave');
      const third = await auth.refresh(second.refreshToken);
      expect((await auth.verifyAccess(third.accessToken)).username).toBe('dave');
      const fams = await db.query<{ n: number }>('select count(distinct family)::int as n from refresh_tokens where token_hash = any($1)', [
        [first, second, third].map((p) => hashRefreshToken(p.refreshToken)),
      ]);
      expect(fams[0]?.n).toBe(1);
    });

    it('presenting a spent refresh token revokes its whole family (audited) and leaves other sessions alone', async () => {
      const id = await newUser('erin');
      const stolen = await auth.login('erin', PW);
      const other = await auth.login('erin', PW);
      const rotated = await auth.refresh(stolen.refreshToken);
      await expect(auth.refresh(stolen.refreshToken)).rejects.toEqual(unauth('reused'));
      await expect(auth.refresh(rotated.refreshToken)).rejects.toEqual(unauth('revoked'));
      expect((await audit().list({ userId: id, action: 'auth.refresh_reuse' })).entries[0]).toMatchObject({ outcome: 'denied', details: { revokedTokens: 2 } });
      expect((await auth.refresh(other.refreshToken)).refreshToken).toBeTruthy();
    });

    it('two concurrent refreshes with one token: one wins, the other counts as reuse', async () => {
      await newUser('frank');
      const p = await auth.login('frank', PW);
      const results = await Promise.allSettled([auth.refresh(p.refreshToken), auth.refresh(p.refreshToken)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const won = results.find((r) => r.status === 'fulfilled');
      if (won?.status !== 'fulfilled') throw new Error('one refresh should win');
      await expect(auth.refresh(won.value.refreshToken)).rejects.toEqual(unauth('revoked'));
    });

    it('refuses an unknown or expired refresh token', async () => {
      await newUser('gina');
      const p = await auth.login('gina', PW);
      await expect(auth.refresh('not-a-token')).rejects.toEqual(unauth('unknown'));
      clock += 8 * 24 * 3600_000;
      try {
        await expect(auth.refresh(p.refreshToken)).rejects.toEqual(unauth('expired'));
      } finally {
        clock -= 8 * 24 * 3600_000;
      }
    });

    it('logout revokes the session family; it is idempotent and other sessions survive', async () => {
      const id = await newUser('hank');
      const a = await auth.login('hank', PW);
      const b = await auth.login('hank', PW);
      const a2 = await auth.refresh(a.refreshToken);
      await auth.logout(a2.refreshToken, { ip: '::1' });
      await auth.logout(a2.refreshToken);
      await auth.logout('never issued');
      await expect(auth.refresh(a2.refreshToken)).rejects.toEqual(unauth('revoked'));
      expect((await auth.refresh(b.refreshToken)).accessToken).toBeTruthy();
      expect((await audit().list({ userId: id, action: 'auth.logout' })).entries[0]).toMatchObject({ ip: '::1', outcome: 'ok' });
    });

    it('changing the password needs the current one, applies the policy and ends every other session', async () => {
      const id = await newUser('ivy');
      const s1 = await auth.login('ivy', PW);
      const s2 = await auth.login('ivy', PW);
      await expect(auth.changePassword(id, 'not the password', 'new long password')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PASSWORD', details: { rule: 'wrong_current' } });
      await expect(auth.changePassword(id, PW, 'short')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PASSWORD', details: { rule: 'min_length' } });
      await expect(auth.changePassword(id, PW, PW)).rejects.toMatchObject({ details: { rule: 'same_as_current' } });
      clock += 2000;
      const fresh = await auth.changePassword(id, PW, 'new long password');
      for (const s of [s1, s2]) {
        await expect(auth.refresh(s.refreshToken)).rejects.toEqual(unauth('revoked'));
        await expect(auth.verifyAccess(s.accessToken)).rejects.toEqual(unauth('revoked'));
      }
      expect((await auth.verifyAccess(fresh.accessToken)).userId).toBe(id);
      await expect(auth.login('ivy', PW)).rejects.toEqual(unauth());
      expect((await auth.login('ivy', 'new long password')).accessToken).toBeTruthy();
    });

    it('a disabled user is refused at once; enabling again does not revive old tokens', async () => {
      await newUser('jack');
      const p = await auth.login('jack', PW);
      await auth.verifyAccess(p.accessToken);
      clock += 2000;
      await auth.users.setDisabled('jack', true, { actorId: null, via: 'test' });
      await expect(auth.verifyAccess(p.accessToken)).rejects.toEqual(unauth('disabled'));
      await expect(auth.refresh(p.refreshToken)).rejects.toEqual(unauth('revoked'));
      await auth.users.setDisabled('jack', false);
      await expect(auth.verifyAccess(p.accessToken)).rejects.toEqual(unauth('revoked'));
      expect((await auth.login('jack', PW)).accessToken).toBeTruthy();
    });

    it('a change made by another process (the CLI) is seen once the status cache entry is 5 s old', async () => {
      await newUser('kate');
      const p = await auth.login('kate', PW);
      await auth.verifyAccess(p.accessToken);
      const elsewhere = new AuthService(db, { secret: SECRET, scrypt: FAST, now: () => clock });
      await elsewhere.users.setRole('kate', 'viewer');
      expect((await auth.verifyAccess(p.accessToken)).role).toBe('trader');
      clock += 5001;
      expect((await auth.verifyAccess(p.accessToken)).role).toBe('viewer');
      await elsewhere.users.setDisabled('kate', true);
      clock += 5001;
      await expect(auth.verifyAccess(p.accessToken)).rejects.toEqual(unauth('disabled'));
    });

    it('a login rehashes a password stored with weaker parameters', async () => {
      const id = await newUser('liam');
      const strong = new AuthService(db, { secret: SECRET, now: () => clock });
      await strong.login('liam', PW);
      const [row] = await db.query<{ password_hash: string }>('select password_hash from users where id = $1', [id]);
      expect(row?.password_hash).toMatch(new RegExp(`^\\$scrypt\\$N=${DEFAULT_SCRYPT.N},r=${DEFAULT_SCRYPT.r},p=${DEFAULT_SCRYPT.p}\\$`));
      expect((await auth.login('liam', PW)).accessToken).toBeTruthy();
    });

    it('user administration refuses duplicates, bad names, bad roles and unknown users with their codes', async () => {
      await newUser('mia');
      await expect(auth.users.create({ username: 'mia', role: 'viewer', password: PW })).rejects.toMatchObject({ code: 'PI5_ERR_USER_EXISTS' });
      await expect(auth.users.create({ username: 'bad name', role: 'viewer', password: PW })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USERNAME' });
      await expect(auth.users.create({ username: 'nina', role: 'root', password: PW })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
      await expect(auth.users.create({ username: 'nina', role: 'viewer', password: 'nina' })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PASSWORD' });
      await expect(auth.users.setDisabled('ghost', true)).rejects.toMatchObject({ code: 'PI5_ERR_UNKNOWN_USER' });
      const created = await auth.users.create({ username: 'nina', role: 'viewer' });
      expect(created.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(created.user).not.toHaveProperty('passwordHash');
      expect((await auth.users.list()).map((u) => u.username)).toEqual(expect.arrayContaining(['mia', 'nina']));
    });

    it('the audit log pages newest first and filters by user, action prefix, outcome and time', async () => {
      const id = await newUser('olga');
      for (let i = 0; i < 5; i++) await auth.login('olga', PW);
      await auth.login('olga', 'wrong password!').catch(() => undefined);
      const p1 = await audit().list({ userId: id, action: 'auth.', limit: 4 });
      expect(p1.entries).toHaveLength(4);
      expect(p1.entries[0]?.outcome).toBe('denied');
      const p2 = await audit().list({ userId: id, action: 'auth.', limit: 4, beforeId: p1.nextBeforeId });
      expect(p2.entries).toHaveLength(2);
      expect(p2.nextBeforeId).toBeUndefined();
      const ids = [...p1.entries, ...p2.entries].map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect((await audit().list({ userId: id, outcome: 'denied' })).entries).toHaveLength(1);
      expect((await audit().list({ userId: id, since: new Date(Date.now() + 3600_000) })).entries).toHaveLength(0);
      expect((await audit().list({ target: 'user:olga', action: 'user.create' })).entries[0]).toMatchObject({ userId: null, details: { role: 'trader', oneTimePassword: false } });
    });
  });
}

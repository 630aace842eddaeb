// /api/v1/auth: login, refresh (rotation with reuse detection), logout, me, change password.

import type { FastifyInstance } from 'fastify';
import type { PublicUser } from '../../auth/index.js';
import { who } from '../authGuard.js';
import type { ApiContext } from '../context.js';
import { enforceRate } from '../rateLimit.js';
import { bool, int, num, nullable, obj, okSchema, str, text, withErrors } from '../schemas.js';

const tokenPair = obj({ accessToken: str, refreshToken: str, expiresIn: int });
const credentials = obj({ username: text(64, 1), password: text(1024, 1) });
const refreshBody = obj({ refreshToken: text(512, 1) });
const userSchema = obj({
  id: int,
  username: str,
  role: str,
  createdAt: str,
  disabledAt: nullable(str),
  mustChangePassword: bool,
  lastLoginAt: nullable(str),
}, [], true);

/** Users as JSON: dates as ISO strings. */
export function userJson(u: PublicUser): Record<string, unknown> {
  return {
    ...u,
    createdAt: u.createdAt.toISOString(),
    disabledAt: u.disabledAt?.toISOString() ?? null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    sessionsRevokedAt: u.sessionsRevokedAt?.toISOString() ?? null,
  };
}

export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const auth = ctx.auth;
  app.post<{ Body: { username: string; password: string } }>('/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in: an access token and a refresh token', body: credentials, response: withErrors({ 200: tokenPair, 429: obj({}) }, false) },
  }, async (req) => {
    await enforceRate(ctx.cache, `login:${req.ip}:${req.body.username.toLowerCase()}`, ctx.loginRatePerMin, 'login attempts');
    return auth.login(req.body.username, req.body.password, { ip: req.ip });
  });

  app.post<{ Body: { refreshToken: string } }>('/auth/refresh', {
    schema: { tags: ['auth'], summary: 'Swap a refresh token for a new pair (the old one is spent)', body: refreshBody, response: withErrors({ 200: tokenPair }, false) },
  }, async (req) => auth.refresh(req.body.refreshToken, { ip: req.ip }));

  app.post<{ Body: { refreshToken: string } }>('/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke a refresh token and its family', body: refreshBody, response: withErrors({ 200: okSchema }, false) },
  }, async (req) => {
    await auth.logout(req.body.refreshToken, { ip: req.ip });
    return { ok: true };
  });

  app.get('/auth/me', {
    config: { role: 'viewer', duringPasswordChange: true },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: withErrors({ 200: obj({ user: userSchema, expiresAt: num }) }) },
  }, async (req) => {
    const id = who(req);
    return { user: userJson(await auth.users.get(id.userId)), expiresAt: id.expiresAt };
  });

  app.post<{ Body: { oldPassword: string; newPassword: string } }>('/auth/password', {
    config: { role: 'viewer', duringPasswordChange: true },
    schema: {
      tags: ['auth'],
      summary: 'Change the password; every other session of the user is revoked',
      body: obj({ oldPassword: text(1024, 1), newPassword: text(1024, 1) }),
      response: withErrors({ 200: tokenPair }),
    },
  }, async (req) => auth.changePassword(who(req).userId, req.body.oldPassword, req.body.newPassword, { actorId: who(req).userId, ip: req.ip }));
}

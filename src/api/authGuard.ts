// Authentication and roles on every /api/v1 route: a route declares the least role it needs in its config;
// the guard checks the bearer token, the role and the first-run password change before the handler runs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Pi5Error } from '../core/errors.js';
import { requireRole, type AccessIdentity, type AuthService, type Role } from './auth/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role the route needs; absent: the route is public. */
    role?: Role;
    /** Reachable by an account that must still change its one-time password. */
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    identity: AccessIdentity | null;
  }
}

export function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (h === undefined || h === '') throw new Pi5Error('PI5_ERR_UNAUTHENTICATED', 'missing Authorization: Bearer <accessToken> header');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new Pi5Error('PI5_ERR_UNAUTHENTICATED', 'the Authorization header must be "Bearer <accessToken>"');
  return m[1] as string;
}

/** The identity of an authenticated request (handlers of guarded routes only). */
export function who(req: FastifyRequest): AccessIdentity {
  if (req.identity === null) throw new Pi5Error('PI5_ERR_UNAUTHENTICATED', 'this route needs a signed-in user');
  return req.identity;
}

export function registerAuthGuard(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const role = config.role;
    if (role === undefined) return;
    const identity = await auth.verifyAccess(bearerToken(req));
    req.identity = identity;
    if (identity.mustChangePassword && config.duringPasswordChange !== true) {
      throw new Pi5Error('PI5_ERR_FORBIDDEN', 'this account must change its one-time password first (POST /api/v1/auth/password)', { mustChangePassword: true });
    }
    requireRole(identity.role, role, `${req.method} ${req.routeOptions.url ?? req.url}`);
  });
}

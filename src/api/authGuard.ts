// Authentication and roles on every /api/v1 route: a route declares the least role it needs in its config;
// the guard checks the bearer token, the role and the first-run password change before the handler runs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isPi5Error, Pi5Error } from '../core/errors.js';
import type { AuditRepository } from '../persistence/repositories/audit.js';
import { requireRole, type AccessIdentity, type AuthService, type Role } from '../auth/index.js';

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

export interface GuardedRoute {
  readonly method: string;
  readonly url: string;
  readonly role: Role;
}

const registries = new WeakMap<FastifyInstance, GuardedRoute[]>();

/** Every route that needs a signed-in user, with the least role it needs (tests walk it). */
export function guardedRoutes(app: FastifyInstance): readonly GuardedRoute[] {
  return registries.get(app) ?? [];
}

/** Call before registering routes: it also records each guarded route as it is added. */
export function registerAuthGuard(app: FastifyInstance, auth: AuthService, audit: AuditRepository): void {
  const registry: GuardedRoute[] = [];
  registries.set(app, registry);
  app.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (role === undefined) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') registry.push({ method, url: route.url, role });
  });
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const role = config.role;
    if (role === undefined) return;
    try {
      const identity = await auth.verifyAccess(bearerToken(req));
      req.identity = identity;
      if (identity.mustChangePassword && config.duringPasswordChange !== true) {
        throw new Pi5Error('PI5_ERR_FORBIDDEN', 'this account must change its one-time password first (POST /api/v1/auth/password)', { mustChangePassword: true });
      }
      requireRole(identity.role, role, `${req.method} ${req.routeOptions.url ?? req.url}`);
    } catch (e) {
      // A refused attempt to change state is audited like the calls that get through.
      if (req.method !== 'GET') {
        const code = isPi5Error(e) ? e.code : 'PI5_ERR_INTERNAL';
        await audit.append({ userId: req.identity?.userId ?? null, action: `http.${req.method} ${req.routeOptions.url ?? req.url}`, details: { error: code }, ip: req.ip, outcome: 'denied' }).catch(() => undefined);
      }
      throw e;
    }
  });
}

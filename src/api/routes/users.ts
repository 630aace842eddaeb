// /api/v1/users (admins): list, create (a one-time password is returned once when none is given),
// disable and enable. The same operations as `pi5 user`.

import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../auth/index.js';
import { who } from '../authGuard.js';
import type { ApiContext } from '../context.js';
import { anyObject, arr, NAME_MAX, obj, str, text, withErrors } from '../schemas.js';
import { userJson } from './auth.js';

export function userRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['users'];
  const users = ctx.auth.users;
  app.get('/users', { config: { role: 'admin' }, schema: { tags, summary: 'Every user (no password hashes)', response: withErrors({ 200: obj({ items: arr(anyObject) }) }) } }, async () => ({
    items: (await users.list()).map(userJson),
  }));
  app.post<{ Body: { username: string; role: string; password?: string } }>('/users', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'Create a user; without a password a one-time password is returned once',
      body: obj({ username: text(NAME_MAX, 1), role: { type: 'string', enum: [...ROLES] }, password: text(1024, 1) }, ['password']),
      response: withErrors({ 201: obj({ user: anyObject, oneTimePassword: str }, ['oneTimePassword']), 409: anyObject }),
    },
  }, async (req, reply) => {
    const out = await users.create(req.body, { actorId: who(req).userId, ip: req.ip });
    return reply.status(201).send({ user: userJson(out.user), ...(out.oneTimePassword === undefined ? {} : { oneTimePassword: out.oneTimePassword }) });
  });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: { username: string } }>(`/users/:username/${verb}`, {
      config: { role: 'admin' },
      schema: { tags, summary: `${verb === 'disable' ? 'Disable' : 'Enable'} a user (disabling revokes its sessions)`, params: obj({ username: text(NAME_MAX, 1) }), response: withErrors({ 200: anyObject, 404: anyObject }) },
    }, async (req) => userJson(await users.setDisabled(req.params.username, disabled, { actorId: who(req).userId, ip: req.ip })));
  }
}

// /api/v1/risk: the limits in force, the risk status (kill switch, latest snapshot, recent denials), and the
// kill switch itself: trip (trader) and reset (admin: a person's decision, DESIGN.md §6).

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, arr, nullable, obj, str, text, withErrors } from '../schemas.js';

const reasonBody = obj({ reason: text(500, 1) }, ['reason']);
const switchSchema = obj({ tripped: { type: 'boolean' }, reason: nullable(str), changedBy: nullable(str), changedAt: nullable({ type: 'number' }) }, [], true);

function limitsJson(ctx: ApiContext): Record<string, unknown> {
  const p = ctx.session.riskLimits();
  return { global: p.global, config: p.config };
}

function killSwitchJson(ctx: ApiContext): Record<string, unknown> {
  const s = ctx.session.killSwitch();
  return { ...s };
}

export function riskRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['risk'];
  app.get('/risk/limits', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Limits in force: global, per strategy, per symbol, groups and kill-switch options', response: withErrors({ 200: anyObject }) },
  }, async () => limitsJson(ctx));

  app.put<{ Body: Record<string, unknown> }>('/risk/limits', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'Replace the limits (a whole risk config, docs/risk.md) while the session runs; kill switch and counters are kept',
      body: anyObject,
      response: withErrors({ 200: anyObject }),
    },
  }, async (req) =>
    // A bad config fails validation before it is applied or recorded: 400 PI5_ERR_BAD_CONFIG, nothing changed.
    audited(ctx, req, 'risk.limits.set', null, async () => {
      await ctx.session.act({ kind: 'setRiskConfig', risk: req.body, by: who(req).username });
      return limitsJson(ctx);
    }, { risk: req.body }),
  );

  app.get('/risk/status', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Kill switch, latest risk snapshot and the most recent denials', response: withErrors({ 200: obj({ killSwitch: switchSchema, snapshot: nullable(anyObject), recentDenials: arr(anyObject) }) }) },
  }, async () => ({ killSwitch: killSwitchJson(ctx), snapshot: ctx.session.riskSnapshot(), recentDenials: ctx.session.recentDenials(50) }));

  app.post<{ Body: { reason?: string } }>('/risk/kill-switch', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Trip the kill switch: working orders canceled, new orders refused until a person resets it', body: reasonBody, response: withErrors({ 200: switchSchema, 409: anyObject }) },
  }, async (req) =>
    audited(ctx, req, 'risk.killSwitch.trip', null, async () => {
      const out = await ctx.session.act({ kind: 'tripKillSwitch', reason: req.body?.reason ?? 'tripped over the API', by: who(req).username });
      if (out.kind === 'changed' && !out.changed) throw new Pi5Error('PI5_ERR_CONFLICT', 'the kill switch is already tripped');
      return killSwitchJson(ctx);
    }),
  );

  app.delete<{ Body: { reason?: string } | undefined }>('/risk/kill-switch', {
    config: { role: 'admin' },
    schema: { tags, summary: 'Reset the kill switch (admins)', response: withErrors({ 200: switchSchema, 409: anyObject }) },
  }, async (req) =>
    audited(ctx, req, 'risk.killSwitch.reset', null, async () => {
      const out = await ctx.session.act({ kind: 'resetKillSwitch', reason: req.body?.reason ?? 'reset over the API', by: who(req).username });
      if (out.kind === 'changed' && !out.changed) throw new Pi5Error('PI5_ERR_CONFLICT', 'the kill switch is not tripped');
      return killSwitchJson(ctx);
    }),
  );
}

// /api/v1/brokers: each venue's health as the node's broker monitors see it (healthy/degraded/down and why), and
// the IB account's positions and values as the gateway reports them.

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import type { IbAccountView } from '../../node/brokers.js';
import type { ApiContext } from '../context.js';
import { anyObject, withErrors } from '../schemas.js';

export function brokerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/brokers', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: 'Broker health per venue: state, reasons, latency, error rate, last message age', response: withErrors({ 200: anyObject }) } }, async () => ({
    brokers: ctx.brokers(),
  }));

  const ib = (): IbAccountView => {
    if (ctx.ibAccount === undefined) throw new Pi5Error('PI5_ERR_NOT_FOUND', 'no Interactive Brokers connection: the config has no ib section');
    return ctx.ibAccount;
  };
  const ask = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new Pi5Error('PI5_ERR_CONFLICT', `IB ${what}: ${(e as Error).message.replace(/^IB[^:]*: /, '')}`);
    }
  };
  app.get('/brokers/ib/positions', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: "The IB account's positions as the gateway reports them", response: withErrors({ 200: anyObject }) } }, async () => {
    const a = ib();
    return { account: a.account, positions: await ask('positions', () => a.positions()) };
  });
  app.get('/brokers/ib/account', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: "The IB account's values (net liquidation, buying power, ...) as the gateway reports them", response: withErrors({ 200: anyObject }) } }, async () => {
    const a = ib();
    return { account: a.account, values: await ask('account values', () => a.accountValues()) };
  });
}

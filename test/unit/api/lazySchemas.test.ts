// Route schemas compiled at first use (src/api/lazySchemas.ts) answer exactly as Fastify's eager compilers do:
// coercion, defaults, refused unknown fields with the same error, responses serialized through their schema.

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledOnFirstUse, lazySchemaController } from '../../../src/api/lazySchemas.js';

const AJV = { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, allowUnionTypes: true } } as const;

async function app(lazy: boolean): Promise<FastifyInstance> {
  const a = Fastify({ ajv: AJV, ...(lazy ? { schemaController: lazySchemaController() } : {}) });
  a.post<{ Querystring: { n: number; tags: string[]; side: string }; Body: { qty: number } }>(
    '/orders/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
        querystring: { type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, side: { type: 'string', default: 'buy' } }, additionalProperties: false },
        body: { type: 'object', properties: { qty: { type: 'number', exclusiveMinimum: 0 } }, required: ['qty'], additionalProperties: false },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' }, n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, side: { type: 'string' }, qty: { type: 'number' } } } },
      },
    },
    async (req) => ({ id: (req.params as { id: number }).id, ...req.query, qty: req.body.qty, secret: 'never serialized' }),
  );
  await a.ready();
  return a;
}

describe('route schemas compiled at first use', () => {
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('answers every request exactly as the eager compilers do', async () => {
    const [eager, lazy] = await Promise.all([app(false), app(true)]);
    apps.push(eager, lazy);
    const requests = [
      { url: '/orders/7?n=3&tags=a', payload: { qty: 2.5 } },
      { url: '/orders/7?n=x', payload: { qty: 1 } },
      { url: '/orders/0', payload: { qty: 1 } },
      { url: '/orders/7?extra=1', payload: { qty: 1 } },
      { url: '/orders/7', payload: { qty: 1, typo: true } },
      { url: '/orders/7', payload: { qty: -1 } },
      { url: '/orders/7', payload: {} },
    ];
    for (const r of requests) {
      const [a, b] = await Promise.all([eager.inject({ method: 'POST', ...r }), lazy.inject({ method: 'POST', ...r })]);
      expect({ url: r.url, status: b.statusCode, body: b.json() as unknown }).toEqual({ url: r.url, status: a.statusCode, body: a.json() as unknown });
    }
    const ok = await lazy.inject({ method: 'POST', url: '/orders/7?n=3&tags=a', payload: { qty: 2.5 } });
    expect(ok.json()).toEqual({ id: 7, n: 3, tags: ['a'], side: 'buy', qty: 2.5 });
    const refused = await lazy.inject({ method: 'POST', url: '/orders/7', payload: { qty: 1, typo: true } });
    expect(refused.statusCode).toBe(400);
  });

  it('compiles once, on the first call, and reads errors and schemaEnv from the compiled function', () => {
    let compiles = 0;
    const compiled = Object.assign((x: unknown) => {
      compiled.errors = x === 1 ? null : [{ message: 'must be 1' }];
      return x === 1;
    }, { errors: null as unknown, schemaEnv: { $async: false } });
    const standIn = compiledOnFirstUse(() => {
      compiles += 1;
      return compiled as never;
    });
    expect(compiles).toBe(0);
    expect(standIn(2)).toBe(false);
    expect(standIn.errors).toEqual([{ message: 'must be 1' }]);
    expect(standIn(1)).toBe(true);
    expect(standIn.errors).toBeNull();
    expect(standIn.schemaEnv).toEqual({ $async: false });
    expect(compiles).toBe(1);
  });
});

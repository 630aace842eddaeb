// The Fastify application: error shape, security headers, request limits, auth guard, OpenAPI at /docs,
// health and metrics, the /api/v1 routes and the /ws WebSocket. Building it does not listen; app.ts does.

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { registerAuthGuard } from './authGuard.js';
import { capConnectionsPerIp, DEFAULT_CONNECTION_LIMITS, timeoutOptions, type ConnectionLimits } from './connectionLimits.js';
import { registerEdgeGuard } from './edgeGuard.js';
import { lazySchemaController } from './lazySchemas.js';
import type { ApiContext } from './context.js';
import { errorBody, sendError } from './httpErrors.js';
import type { ApiMetrics } from './metrics.js';
import { authRoutes } from './routes/auth.js';
import { backtestRoutes } from './routes/backtests.js';
import { optimizationRoutes } from './routes/optimizations.js';
import { backupRoutes } from './routes/backups.js';
import { brokerRoutes } from './routes/brokers.js';
import { healthRoutes } from './routes/health.js';
import { marketDataRoutes } from './routes/marketData.js';
import { orderRoutes } from './routes/orders.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { riskRoutes } from './routes/risk.js';
import { strategyRoutes } from './routes/strategies.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';
import { registerWebApp } from './webApp.js';
import { selectProtocol, type WsHub } from './ws.js';

export interface ServerOptions {
  readonly logLevel?: string;
  /** Largest request body accepted (bytes); larger ones get 413. Default 64 KiB. */
  readonly bodyLimitBytes?: number;
  /** Origin allowed by CORS; absent: no CORS headers at all (the default). */
  readonly corsOrigin?: string;
  /** Request, header and keep-alive timeouts and the per-IP connection cap; defaults in connectionLimits.ts. */
  readonly limits?: ConnectionLimits;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const PAGE_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'";

export async function buildServer(ctx: ApiContext, hub: WsHub, metrics: ApiMetrics, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      stream: ctx.logs,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.refreshToken', '*.accessToken'], censor: '[redacted]' },
    },
    bodyLimit: opts.bodyLimitBytes ?? 64 * 1024,
    ...timeoutOptions(opts.limits ?? DEFAULT_CONNECTION_LIMITS),
    genReqId: () => randomUUID(),
    // Access lines at debug (below): at info they drowned the trading events (the status page polls).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    // Unknown body fields are errors, not silently dropped: a typo in an order must not pass unnoticed.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, allowUnionTypes: true } },
    // Each route's schemas compiled at its first request, not before listening (lazySchemas.ts).
    schemaController: lazySchemaController(),
  });
  capConnectionsPerIp(app.server, (opts.limits ?? DEFAULT_CONNECTION_LIMITS).maxConnectionsPerIp);
  app.setErrorHandler(sendError);
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send(errorBody('PI5_ERR_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`)));
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) void reply.header(k, v);
    const docs = req.url.startsWith('/docs');
    if (!docs) void reply.header('content-security-policy', req.url === '/' || req.url.startsWith('/?') ? PAGE_CSP : API_CSP);
    void reply.header('x-request-id', req.id);
    if (opts.corsOrigin !== undefined) void reply.header('access-control-allow-origin', opts.corsOrigin);
    return payload;
  });

  // The description is Markdown: the placeholder sits in a code span, else the UI takes <accessToken> for HTML.
  await app.register(swagger, {
    openapi: {
      info: { title: 'pi5-trading API', version: ctx.version, description: 'REST API of pi5-trading (docs/api.md). Authenticate with POST /api/v1/auth/login, then send the header `Authorization: Bearer <accessToken>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024, handleProtocols: selectProtocol } });

  registerEdgeGuard(app);
  registerAuthGuard(app, ctx.auth, ctx.audit);
  metrics.register(app);
  healthRoutes(app, ctx);
  registerWebApp(app);
  await app.register(
    async (api) => {
      authRoutes(api, ctx);
      userRoutes(api, ctx);
      portfolioRoutes(api, ctx);
      orderRoutes(api, ctx);
      strategyRoutes(api, ctx);
      riskRoutes(api, ctx);
      systemRoutes(api, ctx);
      backupRoutes(api, ctx);
      marketDataRoutes(api, ctx);
      backtestRoutes(api, ctx);
      optimizationRoutes(api, ctx);
      brokerRoutes(api, ctx);
    },
    { prefix: '/api/v1' },
  );
  hub.register(app);
  return app;
}

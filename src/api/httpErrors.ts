// One mapping from our coded errors (and Fastify's own) to HTTP statuses and the error body every route
// answers with: { error: { code, message, details } } (DESIGN.md §9).

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isPi5Error, type ErrorCode } from '../core/errors.js';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: Readonly<Record<string, unknown>> };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  PI5_ERR_UNAUTHENTICATED: 401,
  PI5_ERR_FORBIDDEN: 403,
  PI5_ERR_NOT_FOUND: 404,
  PI5_ERR_UNKNOWN_USER: 404,
  PI5_ERR_CONFLICT: 409,
  PI5_ERR_BAD_TRANSITION: 409,
  PI5_ERR_USER_EXISTS: 409,
  PI5_ERR_RATE_LIMITED: 429,
  PI5_ERR_CIRCUIT_OPEN: 503,
  PI5_ERR_DB: 503,
  PI5_ERR_PROVIDER: 502,
  PI5_ERR_PROVIDER_PAYLOAD: 502,
  PI5_ERR_INTERNAL: 500,
  PI5_ERR_IO: 500,
  PI5_ERR_MIGRATION: 500,
};

/** 4xx for bad input of every kind (exit code 2 in the catalogue), otherwise the table above or 500. */
export function statusOf(code: ErrorCode, exit: number): number {
  return STATUS[code] ?? (exit === 2 ? 400 : 500);
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/** Ajv's enum message ("must be equal to one of the allowed values") does not say which: the values are added. */
function allowedValues(e: FastifyError): string {
  const values = e.validation?.[0]?.params.allowedValues;
  return Array.isArray(values) ? ` (${values.map(String).join(', ')})` : '';
}

/**
 * Ajv's "must NOT have additional properties" does not name the key: an unknown field is named
 * (`body: unknown field "qty"`); other issues read "<where>.<path> <message>" (`querystring.adjust must be ...`).
 */
function validationMessage(e: FastifyError): string {
  const issue = e.validation?.[0];
  const where = [e.validationContext ?? 'request', ...(issue?.instancePath ?? '').split('/').filter((p) => p !== '')].join('.');
  const extra = issue?.params.additionalProperty;
  if (typeof extra === 'string') return `${where}: unknown field "${extra}"`;
  const message = issue?.message ?? e.message;
  return `${where} ${message}${allowedValues(e)}`.replace(/\s+/g, ' ').trim();
}

/** Fastify's own errors keep their status; their codes are mapped onto ours where one fits. */
function fastifyError(e: FastifyError): { status: number; body: ErrorBody } {
  const status = e.statusCode ?? 500;
  if (e.validation) {
    return { status: 400, body: errorBody('PI5_ERR_BAD_REQUEST', validationMessage(e), { issues: e.validation }) };
  }
  if (status === 413) return { status, body: errorBody('PI5_ERR_TOO_LARGE', e.message) };
  if (status < 500) return { status, body: errorBody(e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'PI5_ERR_BAD_MEDIA_TYPE' : 'PI5_ERR_BAD_REQUEST', e.message) };
  return { status: 500, body: errorBody('PI5_ERR_INTERNAL', 'internal error') };
}

/** Failures of a market data provider name the provider and when to retry, nothing of our own internals: kept as they are. */
const PROVIDER_CODES: ReadonlySet<ErrorCode> = new Set(['PI5_ERR_PROVIDER', 'PI5_ERR_PROVIDER_PAYLOAD', 'PI5_ERR_CIRCUIT_OPEN', 'PI5_ERR_RATE_LIMITED']);

/** What a client sees of a server-side failure: its code, a fixed message and the request id; never the database's
 * or the runtime's own text (SQL, constraint names, stack traces), which goes to the log under the same id. */
function serverFailure(code: string, req: FastifyRequest): ErrorBody {
  const what = code === 'PI5_ERR_DB' ? 'the database is unavailable or refused the operation' : 'internal error';
  return errorBody(code, `${what} (request ${req.id}; details in the server log)`, { requestId: req.id });
}

export function sendError(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isPi5Error(error)) {
    const status = statusOf(error.code, error.exitCode);
    if (status >= 500) {
      req.log.error({ err: error, details: error.details }, error.message);
      if (!PROVIDER_CODES.has(error.code)) return reply.status(status).send(serverFailure(error.code, req));
    }
    const retry = error.details.retryAfterSec;
    if (status === 429 && typeof retry === 'number') void reply.header('retry-after', String(retry));
    return reply.status(status).send(errorBody(error.code, error.message, { ...error.details }));
  }
  const { status, body } = fastifyError(error as FastifyError);
  if (status >= 500) {
    req.log.error({ err: error }, 'request failed');
    return reply.status(status).send(serverFailure(body.error.code, req));
  }
  return reply.status(status).send(body);
}

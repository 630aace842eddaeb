// The last line at the edge, for every route whatever its schema says: no text with NUL or other control
// characters (or unpaired UTF-16 surrogates) and no non-finite number anywhere in a request's path, query or
// body, and no over-long path or query value. Schemas (schemas.ts) document the bounds of each field; this
// hook makes the class of bug ("a byte PostgreSQL refuses", "Infinity reaches SQL") impossible on routes that
// forgot one, so one request can never reach storage with a value the journal cannot hold.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Pi5Error } from '../core/errors.js';

/** Longest path or query value accepted when the route's schema sets no tighter bound. */
export const MAX_PARAM_CHARS = 1024;
/** Body nesting deeper than this is refused before anything walks it further. */
export const MAX_BODY_DEPTH = 32;

// C0 controls (NUL included) and DEL; tab and newlines are refused too: no field of this API carries them.
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one (from JSON \ud800 escapes).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badText(s: string): string | null {
  if (CONTROL_CHARS.test(s)) return 'contains a NUL or control character';
  if (LONE_SURROGATE.test(s)) return 'is not valid Unicode text';
  return null;
}

/** The first problem found in `value` (named by its path, e.g. `body/tag`), or null. */
export function edgeProblem(value: unknown, path: string, maxChars: number | null, depth = 0): string | null {
  if (typeof value === 'string') {
    const bad = badText(value);
    if (bad !== null) return `${path} ${bad}`;
    if (maxChars !== null && value.length > maxChars) return `${path} is longer than ${maxChars} characters`;
    return null;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} must be a finite number`;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_BODY_DEPTH) return `${path} is nested deeper than ${MAX_BODY_DEPTH} levels`;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const badKey = badText(k);
    if (badKey !== null) return `${path} has a key that ${badKey}`;
    const p = edgeProblem(v, `${path}/${k}`, maxChars, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

function check(req: FastifyRequest): void {
  const problem =
    edgeProblem(req.params, 'params', MAX_PARAM_CHARS) ??
    edgeProblem(req.query, 'querystring', MAX_PARAM_CHARS) ??
    edgeProblem(req.body, 'body', null);
  if (problem !== null) throw new Pi5Error('PI5_ERR_BAD_REQUEST', `request ${problem}`);
}

/** Checks every request twice: raw text before validation, coerced values (numbers from strings) after it. */
export function registerEdgeGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => check(req));
  app.addHook('preHandler', async (req) => check(req));
}

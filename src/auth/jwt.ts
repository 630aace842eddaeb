// HS256 JSON Web Tokens with node's crypto only: short-lived access tokens. Only HS256 is accepted
// whatever the header says, so `alg: none` and algorithm-confusion tokens are refused outright.

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Pi5Error } from '../core/errors.js';
import { isRole, type Role } from './roles.js';

export interface AccessClaims {
  /** The user id, as a decimal string (JWT `sub` is a string). */
  readonly sub: string;
  readonly username: string;
  readonly role: Role;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** Token id, unique per token (for logs and any later deny list). */
  readonly jti: string;
}

export type JwtFailure = 'malformed' | 'bad_alg' | 'bad_signature' | 'bad_claims' | 'expired' | 'not_yet_valid';

export const DEFAULT_ACCESS_TTL_SEC = 15 * 60;
/** Clocks of a Pi and its clients drift a little; tolerate this much either way. */
export const DEFAULT_CLOCK_SKEW_SEC = 30;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const B64URL = /^[A-Za-z0-9_-]*$/;
/** Bounds parsing work for hostile input; our tokens are ~300 bytes. */
const MAX_TOKEN_LENGTH = 4096;

function fail(reason: JwtFailure, message: string): never {
  throw new Pi5Error('PI5_ERR_UNAUTHENTICATED', `access token ${message}`, { reason });
}

function mac(secret: Uint8Array, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export interface SignInput {
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
}

export function signAccessToken(
  input: SignInput,
  secret: Uint8Array,
  opts: { ttlSec?: number; nowMs?: number } = {},
): { token: string; claims: AccessClaims } {
  const iat = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const claims: AccessClaims = {
    sub: String(input.userId),
    username: input.username,
    role: input.role,
    iat,
    exp: iat + (opts.ttlSec ?? DEFAULT_ACCESS_TTL_SEC),
    jti: randomUUID(),
  };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return { token: `${body}.${mac(secret, body).toString('base64url')}`, claims };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  if (!B64URL.test(part)) fail('malformed', `${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    fail('malformed', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('malformed', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function checkClaims(p: Record<string, unknown>): AccessClaims {
  const { sub, username, role, iat, exp, jti } = p;
  const ok =
    typeof sub === 'string' && /^[1-9][0-9]{0,15}$/.test(sub) &&
    typeof username === 'string' && username !== '' &&
    isRole(role) &&
    Number.isInteger(iat) && Number.isInteger(exp) && (exp as number) > (iat as number) &&
    typeof jti === 'string' && jti !== '';
  if (!ok) fail('bad_claims', 'lacks or has invalid claims (sub, username, role, iat, exp, jti)');
  return { sub, username, role, iat, exp, jti } as AccessClaims;
}

/**
 * Checks shape, algorithm, signature (constant time) and lifetime, in that order, so nothing of an
 * unsigned payload is trusted. Throws PI5_ERR_UNAUTHENTICATED with `details.reason` (a JwtFailure).
 */
export function verifyAccessToken(
  token: string,
  secret: Uint8Array,
  opts: { nowMs?: number; skewSec?: number } = {},
): AccessClaims {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) fail('malformed', 'is empty or too long');
  const parts = token.split('.');
  if (parts.length !== 3) fail('malformed', 'does not have three parts');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  if (header.alg !== 'HS256') fail('bad_alg', `uses algorithm ${JSON.stringify(header.alg)}; only HS256 is accepted`);
  if (header.typ !== undefined && header.typ !== 'JWT') fail('malformed', 'header typ is not JWT');
  if (!B64URL.test(s)) fail('malformed', 'signature is not base64url');
  const given = Buffer.from(s, 'base64url');
  const expected = mac(secret, `${h}.${p}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) fail('bad_signature', 'has a bad signature');
  const claims = checkClaims(decodeJson(p, 'payload'));
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const skew = opts.skewSec ?? DEFAULT_CLOCK_SKEW_SEC;
  if (claims.exp + skew <= now) fail('expired', 'has expired');
  if (claims.iat - skew > now) fail('not_yet_valid', 'is issued in the future');
  return claims;
}

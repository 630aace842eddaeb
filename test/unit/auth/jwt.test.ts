// HS256 access tokens: round trip, and every way a token is refused (tampering, alg none or another
// algorithm, wrong key, expiry with the clock-skew allowance, malformed input, bad claims).

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken, type JwtFailure } from '../../../src/auth/jwt.js';

const KEY = Buffer.alloc(32, 7);
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const USER = { userId: 42, username: 'alice', role: 'trader' as const };

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const sign = (h: string, p: string, key: Uint8Array = KEY): string => createHmac('sha256', key).update(`${h}.${p}`).digest('base64url');

function refused(token: string, reason: JwtFailure, nowMs = T0): void {
  expect(() => verifyAccessToken(token, KEY, { nowMs })).toThrow(expect.objectContaining({ code: 'PI5_ERR_UNAUTHENTICATED', details: { reason } }));
}

describe('access tokens (HS256 JWT)', () => {
  it('signs the claims sub, username, role, iat, exp, jti and verifies them back', () => {
    const { token, claims } = signAccessToken(USER, KEY, { nowMs: T0, ttlSec: 900 });
    expect(claims).toMatchObject({ sub: '42', username: 'alice', role: 'trader', iat: T0 / 1000, exp: T0 / 1000 + 900 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const [h] = token.split('.');
    expect(JSON.parse(Buffer.from(h ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(verifyAccessToken(token, KEY, { nowMs: T0 + 60_000 })).toEqual(claims);
  });

  it('gives each token its own jti', () => {
    expect(signAccessToken(USER, KEY).claims.jti).not.toBe(signAccessToken(USER, KEY).claims.jti);
  });

  it('defaults to a 15-minute lifetime', () => {
    const { claims } = signAccessToken(USER, KEY, { nowMs: T0 });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refuses a tampered payload (role raised to admin) and a tampered signature', () => {
    const { token } = signAccessToken(USER, KEY, { nowMs: T0 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    refused(`${h}.${b64({ ...payload, role: 'admin' })}.${s}`, 'bad_signature');
    const flipped = s.slice(0, 5) + (s[5] === 'A' ? 'B' : 'A') + s.slice(6);
    refused(`${h}.${p}.${flipped}`, 'bad_signature');
    refused(`${h}.${p}.${s.slice(0, -2)}`, 'bad_signature');
  });

  it('refuses a token signed with another key', () => {
    const { token } = signAccessToken(USER, Buffer.alloc(32, 8), { nowMs: T0 });
    refused(token, 'bad_signature');
  });

  it('refuses alg none (with or without a signature) and any algorithm other than HS256', () => {
    const { token } = signAccessToken(USER, KEY, { nowMs: T0 });
    const p = token.split('.')[1] ?? '';
    refused(`${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, 'bad_alg');
    refused(`${b64({ alg: 'none' })}.${p}.${sign(b64({ alg: 'none' }), p)}`, 'bad_alg');
    for (const alg of ['HS512', 'RS256', 'hs256']) {
      const h = b64({ alg, typ: 'JWT' });
      refused(`${h}.${p}.${sign(h, p)}`, 'bad_alg');
    }
    const noAlg = b64({ typ: 'JWT' });
    refused(`${noAlg}.${p}.${sign(noAlg, p)}`, 'bad_alg');
  });

  it('accepts up to 30 s past expiry (clock skew) and refuses after', () => {
    const { token } = signAccessToken(USER, KEY, { nowMs: T0, ttlSec: 900 });
    expect(verifyAccessToken(token, KEY, { nowMs: T0 + 929_000 }).sub).toBe('42');
    refused(token, 'expired', T0 + 930_000);
    refused(token, 'expired', T0 + 86_400_000);
    expect(() => verifyAccessToken(token, KEY, { nowMs: T0 + 901_000, skewSec: 0 })).toThrow(expect.objectContaining({ details: { reason: 'expired' } }));
  });

  it('refuses a token issued further in the future than the skew allows', () => {
    const { token } = signAccessToken(USER, KEY, { nowMs: T0 + 120_000 });
    refused(token, 'not_yet_valid');
  });

  it('refuses malformed tokens', () => {
    const { token } = signAccessToken(USER, KEY, { nowMs: T0 });
    const [h, p, s] = token.split('.') as [string, string, string];
    for (const bad of ['', 'abc', 'a.b', `${token}.x`, `${h}.${p}`, `!!.${p}.${s}`, `${h}.${p}.${s}=`, `${b64('str')}.${p}.${s}`, 'x'.repeat(5000)]) {
      refused(bad, 'malformed');
    }
    const notJson = Buffer.from('{nope').toString('base64url');
    refused(`${h}.${notJson}.${sign(h, notJson)}`, 'malformed');
  });

  it('refuses a correctly signed token whose claims are missing or wrong', () => {
    const h = b64({ alg: 'HS256', typ: 'JWT' });
    const good = { sub: '42', username: 'alice', role: 'trader', iat: T0 / 1000, exp: T0 / 1000 + 900, jti: 'j' };
    for (const claims of [{ ...good, role: 'root' }, { ...good, sub: 42 }, { ...good, sub: '0' }, { ...good, exp: undefined }, { ...good, jti: '' }, { ...good, exp: good.iat }]) {
      const p = b64(claims);
      refused(`${h}.${p}.${sign(h, p)}`, 'bad_claims');
    }
  });
});

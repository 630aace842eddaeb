// Password hashing (scrypt, self-describing encoding, constant-time verify, rehash detection) and the policy.

import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy, decodeHash, DEFAULT_SCRYPT, generatePassword, hashPassword, needsRehash, scryptWork, unmatchableHash, verifyPassword,
} from '../../../src/auth/password.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('encodes algorithm, parameters, salt and hash, and verifies the right password only', async () => {
    const h = await hashPassword('correct horse battery', DEFAULT_SCRYPT);
    expect(h).toMatch(/^\$scrypt\$N=32768,r=8,p=3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('salts each hash, so the same password hashes differently', async () => {
    const [a, b] = [await hashPassword('same password!', FAST), await hashPassword('same password!', FAST)];
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password!', a)).toBe(true);
    expect(await verifyPassword('same password!', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, and flags weaker ones for rehash', async () => {
    const old = await hashPassword('an old password', FAST);
    expect(decodeHash(old)?.params).toEqual(FAST);
    expect(await verifyPassword('an old password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, FAST)).toBe(false);
  });

  it('treats a malformed or tampered hash as a mismatch, never a crash', async () => {
    const h = await hashPassword('tamper with me', FAST);
    // A truncated hash would verify as a prefix of the scrypt output; short keys are refused for that reason.
    for (const bad of ['', 'plain', '$scrypt$N=1000,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA', h.replace('N=1024', 'N=2048'), h.slice(0, -4)]) {
      expect(await verifyPassword('tamper with me', bad)).toBe(false);
    }
  });

  it('normalizes Unicode so a composed and a decomposed é are the same password', async () => {
    const h = await hashPassword('caf\u00e9 au lait!!', FAST);
    expect(await verifyPassword('cafe\u0301 au lait!!', h)).toBe(true);
  });

  it('makes an unmatchable hash (for unknown users) in a real hash\'s form, at no scrypt cost; checking it costs a real one\'s', async () => {
    const before = scryptWork();
    const h = unmatchableHash(FAST);
    expect(scryptWork()).toEqual(before);
    expect(h).toMatch(/^\$scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(unmatchableHash(FAST)).not.toBe(h);
    expect(needsRehash(h, FAST)).toBe(false);
    expect(unmatchableHash()).toMatch(/^\$scrypt\$N=32768,r=8,p=3\$/);
    for (const candidate of ['', 'correct horse battery', generatePassword()]) expect(await verifyPassword(candidate, h)).toBe(false);
    expect(scryptWork()).toEqual({ calls: before.calls + 3, cost: before.cost + 3 * FAST.N * FAST.r * FAST.p });
  });

  it('generates 24-character random passwords that pass the policy', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(p);
    expect(() => checkPasswordPolicy(p, 'admin')).not.toThrow();
  });
});

describe('password policy', () => {
  it('accepts 12 characters or more that are not the username', () => {
    expect(() => checkPasswordPolicy('twelve chars', 'alice')).not.toThrow();
  });

  it('refuses fewer than 12 characters, naming the rule and the length but not the password', () => {
    try {
      checkPasswordPolicy('short-pw', 'alice', 'PI5_ADMIN_PASSWORD');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'PI5_ERR_BAD_PASSWORD', details: { rule: 'min_length' } });
      expect((e as Error).message).toBe('PI5_ADMIN_PASSWORD: must be at least 12 characters long (got 8)');
      expect((e as Error).message).not.toContain('short-pw');
    }
  });

  it('counts code points, not UTF-16 units', () => {
    expect(() => checkPasswordPolicy('🔒'.repeat(11), 'alice')).toThrow(/got 11/);
  });

  it('refuses the username as password, whatever the case', () => {
    expect(() => checkPasswordPolicy('Administrator', 'administrator')).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PASSWORD', details: { rule: 'equals_username' } }));
  });

  it('refuses passwords over 1024 characters', () => {
    expect(() => checkPasswordPolicy('x'.repeat(1025), 'alice')).toThrow(expect.objectContaining({ details: { rule: 'max_length' } }));
  });
});

// Password hashing with scrypt (memory-hard, built into node) and the password policy. The encoded hash
// carries its own parameters, so they can be raised later and old hashes still verify (then get rehashed).

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Pi5Error } from '../core/errors.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two; memory used is 128 * N * r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's scrypt equivalent of N=2^17,r=8,p=1 at a quarter of the memory: 32 MiB per hash, ~150 ms on
 * a desktop core, ~2x that on a Raspberry Pi 5. Memory per login matters on a 4-8 GB board.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = '$scrypt$';
const ENCODED = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the work a login request can ask for; scrypt itself takes any length. */
export const PASSWORD_MAX_LENGTH = 1024;

/** Key derivations run so far and their summed cost N*r*p: lets tests compare the work paths do, not their timing. */
export interface ScryptWork {
  readonly calls: number;
  readonly cost: number;
}

const work = { calls: 0, cost: 0 };

/** A snapshot of this process's scrypt work (see ScryptWork). */
export function scryptWork(): ScryptWork {
  return { ...work };
}

function derive(password: string, salt: Buffer, keyLen: number, params: ScryptParams): Promise<Buffer> {
  work.calls++;
  work.cost += params.N * params.r * params.p;
  // Node refuses more than 32 MiB by default; allow the parameters' own need plus headroom.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `${PREFIX}N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** `$scrypt$N=32768,r=8,p=3$<salt>$<hash>` (salt and hash base64url). */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return encode(params, salt, await derive(password, salt, KEY_BYTES, params));
}

/**
 * An encoded hash that no password matches: a random key under a random salt, in the form hashPassword makes.
 * Verifying against it costs one key derivation with `params`, as a real hash does, so a login for an unknown
 * user takes the work of a wrong password; unlike the hash of a random password, making it costs no scrypt run
 * (~0.35 CPU-s at every server start). A candidate matches only if its derived key equals 32 random bytes.
 */
export function unmatchableHash(params: ScryptParams = DEFAULT_SCRYPT): string {
  return encode(params, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));
}

interface Decoded {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function decodeHash(encoded: string): Decoded | undefined {
  const m = ENCODED.exec(encoded);
  if (m === null) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] ?? '', 'base64url');
  const key = Buffer.from(m[5] ?? '', 'base64url');
  // N must be a power of two or scrypt throws; a corrupt row should fail verification, not crash.
  const powerOfTwo = N > 1 && N <= 2 ** 24 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !(r > 0 && r <= 64 && p > 0 && p <= 64) || salt.length < 8 || key.length < KEY_BYTES) return undefined;
  return { params: { N, r, p }, salt, key };
}

/** Constant-time check of a password against an encoded hash; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decodeHash(encoded);
  if (d === undefined) return false;
  const key = await derive(password, d.salt, d.key.length, d.params);
  return timingSafeEqual(key, d.key);
}

/** True when a stored hash is weaker than `current`: rehash it at the next successful login. */
export function needsRehash(encoded: string, current: ScryptParams = DEFAULT_SCRYPT): boolean {
  const d = decodeHash(encoded);
  if (d === undefined) return true;
  return d.params.N < current.N || d.params.r < current.r || d.params.p < current.p;
}

/**
 * The policy for new passwords: at least 12 characters (counted as code points), at most 1024, and not
 * the username. Throws PI5_ERR_BAD_PASSWORD naming the rule and `source`; never the password itself.
 */
export function checkPasswordPolicy(password: string, username: string, source = 'password'): void {
  const length = [...password].length;
  const fail = (why: string, rule: string): never => {
    throw new Pi5Error('PI5_ERR_BAD_PASSWORD', `${source}: ${why}`, { rule });
  };
  if (length < PASSWORD_MIN_LENGTH) fail(`must be at least ${PASSWORD_MIN_LENGTH} characters long (got ${length})`, 'min_length');
  if (length > PASSWORD_MAX_LENGTH) fail(`must be at most ${PASSWORD_MAX_LENGTH} characters long (got ${length})`, 'max_length');
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) fail('must not be the same as the username', 'equals_username');
}

/** A random password for first-run and reset accounts: 18 bytes, 24 base64url characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

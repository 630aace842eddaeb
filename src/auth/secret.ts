// The token signing secret: PI5_JWT_SECRET, or 32 random bytes generated on the first start and kept in
// <PI5_DATA_DIR>/jwt-secret (mode 0600), so tokens survive restarts without any setup.

import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pi5Error } from '../core/errors.js';

export const JWT_SECRET_FILE = 'jwt-secret';
/** HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

export interface JwtSecret {
  readonly key: Buffer;
  /** Where it came from, for the start-up log (never the secret itself). */
  readonly source: 'env' | 'file' | 'generated';
  readonly path?: string;
}

function fromEnv(value: string): JwtSecret {
  const key = Buffer.from(value, 'utf8');
  if (key.length < MIN_SECRET_BYTES) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `PI5_JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes long (got ${key.length}); e.g. openssl rand -base64 32`);
  }
  return { key, source: 'env' };
}

async function fromFile(path: string): Promise<JwtSecret> {
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  if (key.length < MIN_SECRET_BYTES) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${path}: holds ${key.length} bytes of secret, need ${MIN_SECRET_BYTES}; delete the file to generate a new one (this logs everyone out)`);
  }
  // Someone may have copied the file with a looser mode; the secret signs admin tokens, so tighten it.
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return { key, source: 'file', path };
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

export async function loadJwtSecret(env: NodeJS.ProcessEnv = process.env): Promise<JwtSecret> {
  const fromVar = env.PI5_JWT_SECRET;
  if (fromVar !== undefined && fromVar !== '') return fromEnv(fromVar);
  const dir = env.PI5_DATA_DIR !== undefined && env.PI5_DATA_DIR !== '' ? env.PI5_DATA_DIR : './data';
  const path = join(dir, JWT_SECRET_FILE);
  try {
    return await fromFile(path);
  } catch (e) {
    if (!isCode(e, 'ENOENT')) throw wrapIo(path, e);
  }
  await mkdir(dir, { recursive: true });
  // Written whole under a name of its own, then linked into place: a link appears with its content or fails with
  // EEXIST, so a second process starting at once never reads a file the first has created but not yet written.
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, randomBytes(MIN_SECRET_BYTES).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    await link(tmp, path);
    return { ...(await fromFile(path)), source: 'generated' };
  } catch (e) {
    if (isCode(e, 'EEXIST')) return fromFile(path);
    throw wrapIo(path, e);
  } finally {
    await rm(tmp, { force: true });
  }
}

function wrapIo(path: string, e: unknown): Error {
  if (e instanceof Pi5Error) return e;
  return new Pi5Error('PI5_ERR_IO', `${path}: cannot read or create the JWT secret: ${(e as Error).message}`);
}

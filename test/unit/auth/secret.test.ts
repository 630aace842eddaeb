// The JWT secret: from PI5_JWT_SECRET, else generated once into <PI5_DATA_DIR>/jwt-secret (0600) and reused.

import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJwtSecret } from '../../../src/auth/secret.js';

describe('JWT secret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi5-secret-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('uses PI5_JWT_SECRET when set, and writes no file', async () => {
    const s = await loadJwtSecret({ PI5_JWT_SECRET: 'k'.repeat(40), PI5_DATA_DIR: dir });
    expect(s).toMatchObject({ source: 'env', key: Buffer.from('k'.repeat(40)) });
    await expect(stat(join(dir, 'jwt-secret'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a PI5_JWT_SECRET shorter than 32 bytes', async () => {
    await expect(loadJwtSecret({ PI5_JWT_SECRET: 'short', PI5_DATA_DIR: dir })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CONFIG', message: expect.stringMatching(/at least 32 bytes/) });
  });

  it('generates 32 random bytes once into a 0600 file and reuses them on the next start', async () => {
    const sub = join(dir, 'nested');
    const first = await loadJwtSecret({ PI5_DATA_DIR: sub });
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const path = join(sub, 'jwt-secret');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await loadJwtSecret({ PI5_DATA_DIR: sub });
    expect(again).toMatchObject({ source: 'file', path });
    expect(again.key.equals(first.key)).toBe(true);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.key.toString('base64url'));
  });

  it('processes starting at once end with one secret, none reading it half-written', async () => {
    // Many rounds of eight at once: the window between creating the file and writing it is short.
    for (let round = 0; round < 25; round++) {
      const at = join(dir, `race-${round}`);
      const all = await Promise.all(Array.from({ length: 8 }, () => loadJwtSecret({ PI5_DATA_DIR: at })));
      for (const s of all) expect(s.key.equals(all[0]?.key ?? Buffer.alloc(0))).toBe(true);
      expect(all.filter((s) => s.source === 'generated')).toHaveLength(1);
      expect((await readdir(at)).sort()).toEqual(['jwt-secret']); // no temporary file left behind
    }
  });

  it('tightens a loosely readable secret file to 0600', async () => {
    const path = join(dir, 'jwt-secret');
    await writeFile(path, Buffer.alloc(32, 1).toString('base64url'));
    await chmod(path, 0o644);
    expect((await loadJwtSecret({ PI5_DATA_DIR: dir })).key.equals(Buffer.alloc(32, 1))).toBe(true);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a secret file holding too little', async () => {
    await writeFile(join(dir, 'jwt-secret'), 'abc');
    await expect(loadJwtSecret({ PI5_DATA_DIR: dir })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CONFIG' });
  });
});

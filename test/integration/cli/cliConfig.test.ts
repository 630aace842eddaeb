// `pi5 config check` as a user runs it: the documented example passes (exit 0) with secrets masked, a broken
// file fails with exit 2 and names the file and the YAML path.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pi5 } from '../../helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('pi5 config check', () => {
  it('accepts the documented example and prints the effective configuration', () => {
    const r = pi5(['config', 'check', '--config', 'docs/examples/pi5.config.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('id: sma-a');
    expect(r.stdout).toContain('strategy: rsi-mean-reversion');
    expect(r.stdout).toContain('maxPositionQty: 5000');
  });

  it('refuses a broken file with exit 2, naming the file and the YAML path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-cfg-'));
    dirs.push(dir);
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'session:\n  strategies:\n    - id: a\n      strategy: sma-cross\n      params: { fast: abc }\n');
    const r = pi5(['config', 'check', '--config', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}: session.strategies[0].params.fast: "abc" is not a number`);
    expect(pi5(['serve', '--config', path]).code).toBe(2);
  });

  it('masks the password of a database URL from the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-cfg-'));
    dirs.push(dir);
    const path = join(dir, 'pi5.config.yaml');
    await writeFile(path, 'database: { url: "postgres://pi5:hunter2@db:5432/pi5" }\n');
    const r = pi5(['config', 'check', '--config', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('postgres://pi5:***@db:5432/pi5');
    expect(r.stdout).not.toContain('hunter2');
  });
});

// `pi5 init strategy <name>` scaffolds a folder outside the repository whose own test and backtest command run.

import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, pi5 } from '../../helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('pi5 init strategy', () => {
  it('creates a strategy folder whose backtest and test pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-init-'));
    dirs.push(dir);
    const r = pi5(['init', 'strategy', 'my-algo'], dir);
    expect(r.code).toBe(0);
    const folder = join(dir, 'my-algo');
    expect((await readdir(folder)).sort()).toEqual(['backtest.sh', 'my-algo.test.mjs', 'my-algo.ts', 'package.json', 'sample.csv']);
    const bt = pi5(['backtest', '--data', 'sample.csv', '--strategy', './my-algo.ts', '--size', '10%', '--quiet'], folder);
    expect(bt.stderr).toBe('');
    expect(bt.code).toBe(0);
    // The scaffolded test, run as the user would (node --test), with this build as pi5.
    const out = execFileSync(process.execPath, ['--test', 'my-algo.test.mjs'], { cwd: folder, encoding: 'utf8', env: { ...process.env, PI5: `"${process.execPath}" "${CLI}"` } });
    expect(out).toMatch(/# pass 1/);
    expect(pi5(['init', 'strategy', 'my-algo'], dir).code).toBe(2);
  });
});

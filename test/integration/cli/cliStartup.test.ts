// `pi5` start-up loads only what the chosen command needs: `--version` and `--help` load no command
// module and no heavy dependency, and `backtest` on a CSV loads no database driver or web server. The
// built CLI runs as a child process under a module-resolve hook that lists every module it loads.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { hasShared, sharedData } from '../../helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-cli-startup-'));
const hooks = join(tmp, 'hooks.mjs');
const register = join(tmp, 'register.mjs');
writeFileSync(hooks, 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("LOADED " + r.url + "\\n"); return r; }\n');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// What a CSV backtest never needs (zod only when given a --risk config: engine/riskSpec.ts).
const HEAVY = ['fastify', '@fastify/', 'pg', 'pg-copy-streams', '@electric-sql/pglite', 'ioredis', 'prom-client', 'ws', 'yaml', 'zod'];

function loaded(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { code: number; stdout: string; modules: string[] } {
  const r = spawnSync(process.execPath, ['--import', register, CLI, ...args], { encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  const modules = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
  return { code: r.status ?? -1, stdout: r.stdout, modules };
}

function packagesOf(modules: readonly string[]): string[] {
  const names = modules.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

const heavyIn = (modules: readonly string[]): string[] => packagesOf(modules).filter((p) => HEAVY.some((h) => (h.endsWith('/') ? p.startsWith(h) : p === h)));

describe('pi5 start-up', () => {
  it('--version loads commander and no command module', () => {
    const r = loaded(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packagesOf(r.modules)).toEqual(['commander']);
    expect(r.modules.filter((u) => u.includes('/cli/commands/'))).toEqual([]);
  });

  it('--help lists every command without loading one', () => {
    const r = loaded(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['backtest', 'optimize', 'strategies', 'demo', 'init', 'risk', 'data', 'db', 'serve', 'config', 'user', 'doctor']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    expect(r.modules.filter((u) => u.includes('/cli/commands/'))).toEqual([]);
  });

  it.runIf(hasShared)('backtest on a CSV loads its own command only, and no database driver or server', () => {
    const r = loaded(['backtest', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', 'sma-cross', '--quiet']);
    expect(r.code).toBe(0);
    const commands = r.modules.filter((u) => u.includes('/cli/commands/')).map((u) => u.replace(/.*\/cli\/commands\//, ''));
    expect(commands).toEqual(['backtest.js']);
    expect(heavyIn(r.modules)).toEqual([]);
    // Outputs not asked for: no HTML report, trades CSV or printed summary.
    const reports = (m: readonly string[]): string[] => m.filter((u) => /\/backtest\/report\/(html|tradesCsv|summary)\.js$/.test(u)).map((u) => u.replace(/.*\//, ''));
    expect(reports(r.modules)).toEqual([]);
    const withReport = loaded(['backtest', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', 'sma-cross', '--report', join(tmp, 'r.html')]);
    expect(withReport.code).toBe(0);
    expect(reports(withReport.modules).sort()).toEqual(['html.js', 'summary.js']);
  });

  it('data list on the embedded store loads its own module only, and no database engine, provider or server', () => {
    const dataDir = join(tmp, 'data-list');
    const r = loaded(['data', 'list'], { ...process.env, PI5_DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^symbol\s+timeframe/);
    const commands = r.modules.filter((u) => u.includes('/cli/commands/')).map((u) => u.replace(/.*\/cli\/commands\//, ''));
    expect(commands.sort()).toEqual(['data.js', 'dataStore.js', 'dataTicks.js', 'stream.js']);
    expect(heavyIn(r.modules)).toEqual([]);
    expect(r.modules.filter((u) => u.includes('/data/providers/') || u.includes('/migrations/'))).toEqual([]);
  });

  it('data list on embedded defaults loads no PostgreSQL or Redis driver and no PGlite', () => {
    const dir = mkdtempSync(join(tmp, 'data-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PI5_DATA_DIR: dir };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const r = loaded(['data', 'list'], env);
    expect(r.code).toBe(0);
    expect(packagesOf(r.modules).filter((p) => ['pg', 'pg-copy-streams', 'ioredis', '@electric-sql/pglite'].includes(p))).toEqual([]);
  });
});

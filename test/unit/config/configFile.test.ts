// The config file: its schema, the merge order (file < environment < flags), errors that name the file and the
// YAML path, refused secrets, masked URLs, and the default paper session unchanged when there is no file.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaySession } from '../../../src/node/demoSession.js';
import { loadConfig, parseConfigText } from '../../../src/config/configFile.js';
import { loadServerConfig, maskUrl } from '../../../src/config/serverConfig.js';
import { errorOf } from '../../helpers/errors.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function withFile(text: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pi5-config-'));
  dirs.push(dir);
  const path = join(dir, 'pi5.config.yaml');
  await writeFile(path, text);
  return { dir, path };
}

const FILE = `
server: { port: 9000, host: 0.0.0.0, logLevel: debug }
database: { url: "postgres://pi5:hunter2@db:5432/pi5" }
session:
  id: from-file
  cash: 50000
  strategies:
    - { id: a, strategy: sma-cross, params: { fast: 5, slow: 20 }, symbols: [demoa] }
  risk: { global: { maxPositionQty: 100 } }
`;

describe('config file', () => {
  it('reads every section into the server config, paper settings with their defaults', async () => {
    const { path } = await withFile(FILE);
    const { server, file } = loadConfig({ env: {}, configPath: path });
    expect(file).toBe(path);
    expect(server).toMatchObject({ port: 9000, host: '0.0.0.0', logLevel: 'debug', sessionId: 'from-file', databaseUrl: 'postgres://pi5:hunter2@db:5432/pi5' });
    expect(server.paper).toEqual({
      cash: 50000, size: '30%', commission: 'per-share:0.005:min=1', slippage: 'bps:2',
      strategies: [{ id: 'a', strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['DEMOA'] }],
      risk: { global: { maxPositionQty: 100 } },
    });
  });

  it('lets the environment override the file and flags override both', async () => {
    const { path } = await withFile(FILE);
    expect(loadConfig({ env: { PI5_PORT: '9100' }, configPath: path }).server.port).toBe(9100);
    expect(loadConfig({ env: { PI5_PORT: '9100' }, flags: { port: '9200' }, configPath: path }).server.port).toBe(9200);
    expect(loadConfig({ env: { PI5_SESSION_ID: 'env' }, configPath: path }).server.sessionId).toBe('env');
    // Empty variables count as unset: the file's value stays.
    expect(loadConfig({ env: { PI5_PORT: '' }, configPath: path }).server.port).toBe(9000);
  });

  it('reads ./pi5.config.yaml when no path is given, and nothing when there is none', async () => {
    const { dir } = await withFile('server: { port: 9300 }\n');
    expect(loadConfig({ env: {}, cwd: dir }).server.port).toBe(9300);
    expect(loadConfig({ env: {}, cwd: tmpdir() }).file).toBeNull();
    expect(errorOf(() => loadConfig({ env: {}, configPath: join(dir, 'missing.yaml') })).message).toMatch(/missing\.yaml: no such file/);
  });

  it('names the file, the YAML path and the problem', () => {
    const e = errorOf(() => parseConfigText('session:\n  strategies:\n    - { id: a, strategy: sma-cross, params: { fast: abc } }\n', 'pi5.config.yaml'));
    expect(e.code).toBe('PI5_ERR_BAD_CONFIG');
    expect(e.message).toBe('pi5.config.yaml: session.strategies[0].params.fast: "abc" is not a number');
    expect(errorOf(() => parseConfigText('server: { port: "x" }', 'c.yaml')).message).toBe('c.yaml: server.port: expected a number, got a string');
    expect(errorOf(() => parseConfigText('session: { cash: [1] }', 'c.yaml')).message).toBe('c.yaml: session.cash: expected a number, got a list');
    expect(errorOf(() => parseConfigText('sesion: {}', 'c.yaml')).message).toBe('c.yaml: sesion: unknown key');
    expect(errorOf(() => parseConfigText('session: { risk: { global: { maxDrawdownPct: 500 } } }', 'c.yaml')).message).toMatch(/^c\.yaml: session\.risk\.global\.maxDrawdownPct: .*100/);
    expect(errorOf(() => parseConfigText('session: { allocation: { policy: best } }', 'c.yaml')).message).toMatch(/^c\.yaml: session\.allocation\.policy: /);
    expect(errorOf(() => parseConfigText('session: { strategies: [{ id: a, strategy: nope }] }', 'c.yaml')).message).toMatch(/^c\.yaml: session\.strategies\[0\]\.strategy: unknown strategy "nope"/);
    expect(errorOf(() => parseConfigText('session: { commission: "weird:1" }', 'c.yaml')).message).toMatch(/^c\.yaml: session\.commission: "weird:1": unknown model/);
    expect(errorOf(() => parseConfigText('session: { replay: { symbols: [A] } }', 'c.yaml')).message).toBe('c.yaml: session.replay.timeframe: required with symbols (e.g. 1d, 5m)');
    expect(errorOf(() => parseConfigText('a: [1,\n', 'c.yaml')).message).toMatch(/^c\.yaml: .*line 2, column 1/);
    const dup = 'session: { strategies: [{ id: a, strategy: sma-cross }, { id: a, strategy: buy-and-hold }] }';
    expect(errorOf(() => parseConfigText(dup, 'c.yaml')).message).toBe('c.yaml: session.strategies[1].id: duplicate strategy id "a"');
  });

  it('checks ranges after the merge and names the file path of a bad file value', async () => {
    const { path } = await withFile('server: { port: 70000 }\n');
    expect(errorOf(() => loadConfig({ env: {}, configPath: path })).message).toMatch(new RegExp(`^${path}: server\\.port: .*65535`));
  });

  it('refuses the admin password and the JWT secret, pointing to their variables', () => {
    const e = errorOf(() => parseConfigText('server: { jwtSecret: abc, adminPassword: pw }\nPI5_ADMIN_PASSWORD: x\n', 'c.yaml'));
    expect(e.message).toContain('c.yaml: server.jwtSecret: secrets do not belong in the config file; set PI5_JWT_SECRET in the environment');
    expect(e.message).toContain('c.yaml: server.adminPassword: secrets do not belong in the config file; set PI5_ADMIN_PASSWORD');
    expect(e.message).toContain('c.yaml: PI5_ADMIN_PASSWORD: ');
    expect(e.message).not.toMatch(/abc|pw\b/);
  });

  it('never prints a password of a URL, also when the URL is invalid', async () => {
    expect(maskUrl('postgres://pi5:hunter2@db:5432/pi5')).toBe('postgres://pi5:***@db:5432/pi5');
    expect(maskUrl('postgres://db/pi5?password=hunter2')).not.toContain('hunter2');
    const { path } = await withFile('database: { url: "postgres://u:hunter2@h:bad/db" }\n');
    expect(errorOf(() => loadConfig({ env: {}, configPath: path })).message).not.toContain('hunter2');
  });

  it('builds the same demo session config as before there was a file', () => {
    const before = {
      id: 'demo', cash: 100_000, size: '30%', commission: 'per-share:0.005:min=1', slippage: 'bps:2',
      strategies: [{ id: 'sma-demo', strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['DEMOA', 'DEMOB', 'DEMOC'] }],
      feed: { kind: 'synthetic', timeframe: '1d', bars: 300, start: '2015-01-01', symbols: [{ symbol: 'DEMOA', seed: 1, startPrice: 50 }, { symbol: 'DEMOB', seed: 2, startPrice: 120 }, { symbol: 'DEMOC', seed: 3, startPrice: 30 }] },
    };
    const { session } = replaySession(loadServerConfig({ PI5_DEMO_BARS: '300' }), undefined);
    expect(JSON.stringify(session)).toBe(JSON.stringify(before));
  });

  it('defaults strategy symbols to the replayed ones and refuses symbols that are not replayed', () => {
    const cfg = (yaml: string) => loadServerConfig({ PI5_DEMO_BARS: '300' }, {}, { values: { paper: parseConfigText(yaml, 'c.yaml').session }, sources: {} });
    const { session } = replaySession(cfg('session: { strategies: [{ id: h, strategy: buy-and-hold, size: "10" }] }'), undefined);
    expect(session.strategies).toEqual([{ id: 'h', strategy: 'buy-and-hold', params: {}, symbols: ['DEMOA', 'DEMOB', 'DEMOC'], size: '10' }]);
    const bad = cfg('session: { strategies: [{ id: h, strategy: buy-and-hold, symbols: [ZZZ] }] }');
    expect(errorOf(() => replaySession(bad, undefined)).message).toMatch(/session\.strategies\[0\]\.symbols: ZZZ not in the replayed data/);
  });

  it('carries session.positions (whose position a strategy acts on) into the session, and names a bad value', () => {
    const cfg = (yaml: string) => loadServerConfig({ PI5_DEMO_BARS: '300' }, {}, { values: { paper: parseConfigText(yaml, 'c.yaml').session }, sources: {} });
    expect(replaySession(cfg('session: { positions: netting }'), undefined).session.positions).toBe('netting');
    expect(replaySession(cfg('session: { cash: 5000 }'), undefined).session.positions).toBeUndefined();
    expect(errorOf(() => parseConfigText('session: { positions: hedging }', 'c.yaml')).message).toMatch(/^c\.yaml: session\.positions: /);
  });
});

describe('session.live', () => {
  it('reads live settings from the file or the --live flags, with their own default session id', async () => {
    const { path } = await withFile('session:\n  live: { provider: alpaca, symbols: [aapl, msft] }\n');
    const fromFile = loadConfig({ env: {}, configPath: path }).server;
    expect(fromFile.sessionId).toBe('live');
    expect(fromFile.live).toEqual({ provider: 'alpaca', symbols: ['AAPL', 'MSFT'], timeframe: '1m' });
    const fromFlags = loadConfig({ env: {}, cwd: tmpdir(), flags: { live: { provider: 'alpaca', symbols: ['TSLA'], timeframe: '1m', feed: 'sip' } } }).server;
    expect(fromFlags.live).toEqual({ provider: 'alpaca', symbols: ['TSLA'], timeframe: '1m', feed: 'sip' });
  });

  it('refuses an unknown provider, a timeframe the stream does not send, and live with a replay', async () => {
    expect(parseConfigText('session:\n  live: { provider: alpaca, symbols: [A], timeframe: 15m }\n', 'c.yaml').session?.live?.timeframe).toBe('15m');
    expect(errorOf(() => parseConfigText('session:\n  live: { provider: polygon, symbols: [A] }\n', 'c.yaml')).message).toMatch(/^c\.yaml: session\.live\.provider: /);
    expect(errorOf(() => parseConfigText('session:\n  live: { provider: alpaca, symbols: [A], timeframe: 4h }\n', 'c.yaml')).message).toMatch(/^c\.yaml: session\.live\.timeframe: /);
    const { path } = await withFile('session:\n  live: { provider: alpaca, symbols: [A] }\n  replay: { data: [x.csv] }\n');
    expect(errorOf(() => loadConfig({ env: {}, configPath: path }))).toMatchObject({ code: 'PI5_ERR_BAD_CONFIG', message: expect.stringMatching(/exclude each other/) });
  });
});

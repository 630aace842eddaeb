// A trading node with no HTTP server at all: it opens storage, auth and the paper session from the config, the
// session steps on its own pace, the node reports each component's health, stops cleanly (the session's last
// write in), and a node opened again on the same storage resumes the session where it stopped.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/configFile.js';
import type { ServerConfig } from '../../../src/config/serverConfig.js';
import { TradingNode, type NodeService } from '../../../src/node/tradingNode.js';

let dataDir: string;
let config: ServerConfig;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pi5-node-'));
  const env = { PI5_DATA_DIR: dataDir, PI5_LOG_LEVEL: 'silent', PI5_ADMIN_PASSWORD: 'correct-horse-battery-9', PI5_DEMO_BARS: '300', PI5_STEP_INTERVAL_MS: '0' };
  config = loadConfig({ env, cwd: dataDir }).server;
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves once the session has published `n` portfolio updates (one per step). */
function steps(node: TradingNode, n: number): Promise<void> {
  return new Promise((done) => {
    let seen = 0;
    const off = node.sessionView.events.subscribe('portfolio', () => {
      if (++seen < n) return;
      off();
      done();
    });
  });
}

describe('trading node without HTTP', () => {
  it('steps its session, reports health per component, stops cleanly and resumes on the same storage', async () => {
    const order: string[] = [];
    const service: NodeService = { name: 'probe', start: async () => void order.push('start'), stop: async () => void order.push('stop') };
    const node = await TradingNode.open(config, { notice: () => undefined, services: [service] });
    expect(order).toEqual(['start']);
    expect(node.session.status().state).toBe('paused');
    const stepped = steps(node, 5);
    node.startSessions();
    await stepped;
    const health = await node.health();
    expect(health.ready).toBe(true);
    expect(Object.keys(health.components).sort()).toEqual(['broker', 'cache', 'database', 'feed', 'session']);
    expect(health.components.database).toMatchObject({ ok: true, detail: 'pglite' });
    await node.stop();
    expect(order).toEqual(['start', 'stop']);
    const stoppedAt = node.session.status().step;
    expect(stoppedAt).toBeGreaterThanOrEqual(5);

    const again = await TradingNode.open(config, { notice: () => undefined });
    try {
      expect(again.session.status()).toMatchObject({ state: 'paused', step: stoppedAt, recoveredSteps: stoppedAt });
      expect(again.sessionView.orders().map((o) => o.clientOrderId)).toEqual(node.sessionView.orders().map((o) => o.clientOrderId));
    } finally {
      await again.stop();
    }
  });

  it('closes what it opened when a component fails to start', async () => {
    const failing: NodeService = { name: 'broken', start: async () => Promise.reject(new Error('no notifier')), stop: async () => undefined };
    await expect(TradingNode.open(config, { notice: () => undefined, services: [failing] })).rejects.toThrow('no notifier');
    // What it opened was stopped: a new node opens the same embedded store.
    const node = await TradingNode.open(config, { notice: () => undefined });
    await node.stop();
  });
});

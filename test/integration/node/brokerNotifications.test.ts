// Broker events as notifications in a running node trading at the fake Alpaca (real REST client and trading
// stream): the start reconciliation's correction (an order nobody here sent, canceled), a dropped trading stream
// (a disconnect, then a reconnect once caught up), and a venue refusal each reach a local webhook receiver, in
// that order, while a second receiver that never answers holds back none of them.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/configFile.js';
import { TradingNode } from '../../../src/node/tradingNode.js';
import type { FakeOrder } from '../../helpers/fakeAlpacaMatcher.js';
import { startFakeAlpacaTrading, TRADING_KEY, TRADING_SECRET, type FakeAlpacaTrading } from '../../helpers/fakeAlpacaTrading.js';
import { startFakeHttp, type FakeHttp } from '../../helpers/fakeReceivers.js';

let dataDir: string;
let ok: FakeHttp;
let dead: FakeHttp;
let fake: FakeAlpacaTrading;
let node: TradingNode;
let stranger: FakeOrder;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pi5-broker-notify-'));
  ok = await startFakeHttp();
  dead = await startFakeHttp();
  for (let i = 0; i < 100; i++) dead.answers.push('hang');
  fake = await startFakeAlpacaTrading();
  // Someone placed an order in Alpaca's web app: the start reconciliation cancels it (policy cancel).
  const placed = fake.matcher.place({ symbol: 'DEMOA', qty: '5', side: 'buy', type: 'limit', limit_price: '1.00', time_in_force: 'gtc', client_order_id: 'web-1' }, 'web');
  if (typeof placed === 'string') throw new Error(placed);
  stranger = placed;
  const file = join(dataDir, 'pi5.config.yaml');
  await writeFile(
    file,
    [
      'broker:',
      '  venue: alpaca',
      '  alpaca:',
      `    baseUrl: ${fake.baseUrl}`,
      'notifications:',
      '  retries: 0',
      '  timeoutMs: 120000',
      '  channels:',
      '    - type: webhook',
      '      name: dead',
      `      url: ${dead.url}/hook`,
      '    - type: webhook',
      `      url: ${ok.url}/hook`,
      '      ratePerMin: 6000',
    ].join('\n') + '\n',
  );
  const env = { PI5_DATA_DIR: dataDir, PI5_LOG_LEVEL: 'silent', PI5_ADMIN_PASSWORD: 'correct-horse-battery-9', PI5_DEMO_BARS: '300', PI5_STEP_INTERVAL_MS: '0', APCA_API_KEY_ID: TRADING_KEY, APCA_API_SECRET_KEY: TRADING_SECRET, APCA_API_BASE_URL: '' };
  const config = loadConfig({ env, cwd: dataDir, configPath: file }).server;
  node = await TradingNode.open(config, { notice: () => undefined, env });
});

afterAll(async () => {
  await node.stop();
  await fake.close();
  await ok.close();
  await dead.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Hook {
  kind: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

describe('broker notifications in a trading node', () => {
  it('tells a reconciliation correction, a stream drop then its return, and a refused order; a dead receiver delays none', async () => {
    const hooks = (): Hook[] => ok.requests.map((r) => r.body as Hook);
    await ok.received(1);
    expect(stranger.status).toBe('canceled');
    const rec = hooks()[0];
    expect(rec?.kind).toBe('reconciliation');
    expect(rec?.title).toBe('Reconciliation with alpaca (start): 1 correction');
    expect(rec?.text).toContain(`broker order ${stranger.id} (buy 5 DEMOA) nobody here sent: canceled`);
    expect(rec?.data).toMatchObject({ venue: 'alpaca', trigger: 'start', halt: null, corrections: [{ kind: 'unknownOrder', action: 'cancel' }] });

    fake.dropStreams();
    await ok.received(3);
    expect(hooks().slice(1, 3).map((h) => h.kind)).toEqual(['broker_disconnect', 'broker_reconnect']);
    expect(hooks()[1]?.data).toMatchObject({ venue: 'alpaca', state: 'down' });
    expect(fake.streamConnections()).toBe(2);

    fake.refuseNext({ status: 403, code: 40310000, message: 'insufficient buying power' });
    await node.sessionView.act({ kind: 'submitOrder', request: { symbol: 'DEMOB', side: 'buy', quantity: 3, type: 'limit', limitPrice: 1, clientOrderId: 'poor-1' }, by: 'alice' });
    await ok.received(4);
    const refusal = hooks()[3];
    expect(refusal?.kind).toBe('rejection');
    expect(refusal?.data).toMatchObject({ clientOrderId: 'poor-1', symbol: 'DEMOB' });
    expect(String(refusal?.data.reason)).toMatch(/^INSUFFICIENT_BUYING_POWER: .*insufficient buying power/);

    // The dead receiver took the first message and never answered: everything else went on without it.
    await dead.received(1);
    expect(node.notifier?.stats().find((s) => s.channel === 'dead')).toMatchObject({ sent: 0, failed: 0 });
    expect(hooks()).toHaveLength(4);
  });
});

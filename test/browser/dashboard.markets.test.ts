// Markets in a real browser against the real server: a session symbol's candlesticks and volume, overlays,
// the session's fills marked on their bars, switching symbol by search, the forming bar moving live.

import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { dashboardRig, screenshot, signIn, until } from '../helpers/dashboard.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard markets', () => {
  const rig = dashboardRig(120);

  it('charts a symbol with volume and overlays, marks its fills, and follows search and live bars', async () => {
    const admin = await rig.server.adminToken();
    // One manual fill of our own on DEMOA, besides the demo strategy'rig.server.
    const order = await rig.server.request('POST', '/api/v1/orders', { token: admin, body: { symbol: 'DEMOA', side: 'buy', quantity: 5 } });
    expect(order.status).toBe(201);
    await rig.server.session.advance(2);
    const filled = await rig.server.request('GET', '/api/v1/orders?symbol=DEMOA&limit=1000', { token: admin });
    const fillCount = (filled.body.items as { filledQuantity: number }[]).filter((o) => o.filledQuantity > 0).length;
    expect(fillCount).toBeGreaterThan(0);

    const page = await rig.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, rig.server.url, 'admin', 'correct-horse-battery-9');
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/markets?symbol=DEMOA`);
    await page.waitForSelector('#price-chart canvas');
    const bars = Number(await page.getAttribute('#price-chart', 'data-bars'));
    expect(bars).toBe(122);
    expect(Number(await page.getAttribute('#price-chart', 'data-markers'))).toBe(fillCount);
    expect(await page.textContent('#chart-info')).toContain('122 bars from session');
    await page.check('#overlay-bb20');
    await page.check('#overlay-vwap');
    await page.waitForSelector('#price-chart canvas');
    await screenshot(page, 'markets');

    // The replay moves on: the chart's last bar follows over the WebSocket, without a reload.
    const lastTs = Number(await page.getAttribute('#price-chart', 'data-last-ts'));
    const stored = await rig.server.request('GET', '/api/v1/bars?symbol=DEMOA&limit=1', { token: admin });
    expect(lastTs).toBe(stored.body.items[0].ts);
    await rig.server.session.advance(3);
    const next = await rig.server.request('GET', '/api/v1/bars?symbol=DEMOA&limit=1', { token: admin });
    await until('the chart has the newest bar', async () => Number(await page.getAttribute('#price-chart', 'data-last-ts')) === next.body.items[0].ts);
    expect(next.body.items[0].ts).toBeGreaterThan(lastTs);

    // Search another symbol.
    await page.fill('#symbol-search', 'DEMOB');
    await page.dispatchEvent('#symbol-search', 'change');
    await until('the chart shows DEMOB', async () => ((await page.textContent('#market h2')) ?? '').startsWith('DEMOB'));
    await page.waitForSelector('#price-chart canvas');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});

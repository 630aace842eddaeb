// Markets in a real browser against the real server: a session symbol's candlesticks and volume (the price axis
// not stretched by it), overlays, the session's fills marked on their bars, switching symbol by search, the
// forming bar moving live and the bar count under the chart with it; a stored
// history longer than a page loaded as the user scrolls left and all at once, with its fills marked, shown in
// candles of many bars when zoomed out and in real bars again when zoomed in on a fill.

import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../src/data/synthetic.js';
import { BarStore } from '../../src/persistence/barStore.js';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
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

    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'admin', 'correct-horse-battery-9');
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/markets?symbol=DEMOA`);
    await page.waitForSelector('#price-chart canvas');
    const bars = Number(await page.getAttribute('#price-chart', 'data-bars'));
    expect(bars).toBe(122);
    expect(Number(await page.getAttribute('#price-chart', 'data-markers'))).toBe(fillCount);
    expect(await page.textContent('#chart-info')).toContain('122 bars from session');
    // Volume has a pane of its own: the price axis spans the prices (with a small margin), not down towards 0.
    const lows = (await rig.server.request('GET', '/api/v1/bars?symbol=DEMOA&limit=1000', { token: admin })).body.items as { low: number; high: number }[];
    expect(lows.length).toBe(122);
    const minLow = Math.min(...lows.map((b) => b.low));
    const range = Math.max(...lows.map((b) => b.high)) - minLow;
    await until('the price axis is painted', async () => (await page.getAttribute('#price-chart', 'data-price-low')) !== null);
    const axisLow = Number(await page.getAttribute('#price-chart', 'data-price-low'));
    expect(axisLow).toBeGreaterThanOrEqual(0);
    expect(axisLow).toBeGreaterThan(minLow - 0.15 * range);
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
    // The count under the chart grows with the live bars.
    await until('the bar count follows the live bars', async () => ((await page.textContent('#chart-info')) ?? '').includes('125 bars from session'));

    // On a phone-width chart zoomed out over every bar, 125 bars are more than its pixels show readably: a candle
    // stands for two bars, and a live bar still moves the last candle (or starts one).
    const level = async (): Promise<number> => Number(await page.getAttribute('#price-chart', 'data-level'));
    expect(await level()).toBe(1);
    await page.setViewportSize({ width: 360, height: 800 });
    // Wheel events sent to the chart itself (a mouse wheel outside it would scroll the phone-width page instead).
    const zoomOut = "const c = document.querySelector('#price-chart canvas'); const r = c.getBoundingClientRect(); c.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));";
    // Zoomed out step by step until the chart has settled on candles of two bars and the line under it says so.
    await until(
      'candles of two bars, said under the chart',
      async () => {
        if ((await level()) < 2) await page.evaluate(zoomOut);
        return (await level()) === 2 && (await page.textContent('#chart-level')) === '1 candle = 2 bars (2d)';
      },
    );
    const k = await level();
    expect(Number(await page.getAttribute('#price-chart', 'data-points'))).toBe(Math.ceil(125 / k));
    await rig.server.session.advance(2);
    const later = await rig.server.request('GET', '/api/v1/bars?symbol=DEMOA&limit=1', { token: admin });
    await until('the zoomed-out chart has the newest bar', async () => Number(await page.getAttribute('#price-chart', 'data-last-ts')) === later.body.items[0].ts);
    await until('the bar count follows', async () => ((await page.textContent('#chart-info')) ?? '').includes('127 bars from session'));
    expect(Number(await page.getAttribute('#price-chart', 'data-points'))).toBe(Math.ceil(127 / k));
    expect(await level()).toBe(k);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Search another symbol.
    await page.fill('#symbol-search', 'DEMOB');
    await page.dispatchEvent('#symbol-search', 'change');
    await until('the chart shows DEMOB', async () => ((await page.textContent('#market h2')) ?? '').startsWith('DEMOB'));
    await page.waitForSelector('#price-chart canvas');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads older bars at the left edge and the whole history, seams without gaps or repeats, fills in old pages marked', async () => {
    const admin = await rig.server.adminToken();
    // DEMOC's daily bars from 1970 to about 2070 in the store (the chart then reads the store, not the session):
    // the weekday grid of the demo feed, so a fill at today's replay time (2015) falls in the second page.
    const history = generateSyntheticBars({ symbol: 'DEMOC', seed: 5, bars: 26_000, start: Date.UTC(1970, 0, 1) });
    await new BarStore(rig.server.db).ingest([history]);
    const order = await rig.server.request('POST', '/api/v1/orders', { token: admin, body: { symbol: 'DEMOC', side: 'buy', quantity: 3 } });
    expect(order.status).toBe(201);
    await rig.server.session.advance(2);
    const filled = await rig.server.request('GET', '/api/v1/orders?symbol=DEMOC&limit=1000', { token: admin });
    const fillTimes = (filled.body.items as { filledQuantity: number; updatedAt: number }[]).filter((o) => o.filledQuantity > 0).map((o) => o.updatedAt);
    expect(fillTimes.length).toBeGreaterThan(0);
    const firstPageStart = history.ts[history.length - 10_000] as number;
    expect(Math.max(...fillTimes)).toBeLessThan(firstPageStart);

    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'admin', 'correct-horse-battery-9');
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/markets?symbol=DEMOC&tf=1d`);
    await page.waitForSelector('#price-chart canvas');
    const count = async (): Promise<number> => Number(await page.getAttribute('#price-chart', 'data-bars'));
    await until('the first page is drawn', async () => (await count()) === 10_000);
    expect(Number(await page.getAttribute('#price-chart', 'data-markers'))).toBe(0);
    expect(await page.textContent('#chart-info')).toContain('scroll left for older bars');

    // Scroll towards older bars (a horizontal wheel, as a trackpad swipe sends) until the left edge asks for the next page.
    const box = await page.locator('#price-chart').boundingBox();
    if (box === null) throw new Error('no chart box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    for (let i = 0; i < 40 && (await count()) === 10_000; i++) {
      await page.mouse.wheel(-5_000, 0);
      await page.waitForTimeout(50);
    }
    await until('an older page is drawn', async () => (await count()) > 10_000);
    expect(await count()).toBe(20_000);
    await until('the fills in the older page are marked', async () => Number(await page.getAttribute('#price-chart', 'data-markers')) === fillTimes.length);

    await page.click('#load-history');
    await until('the whole history is drawn', async () => (await count()) === history.length);
    // The line under the chart follows the chart's report of what it holds, a render after the bars.
    await until('the line under the chart counts the whole history', async () => ((await page.textContent('#chart-info')) ?? '').includes('26,000 bars'));
    const info = (await page.textContent('#chart-info')) ?? '';
    expect(info).toContain('26,000 bars from store, 1970-01-01 to ');
    expect(info).toContain('(the whole history)');
    expect(await page.locator('#load-history').count()).toBe(0);
    expect(Number(await page.getAttribute('#price-chart', 'data-markers'))).toBe(fillTimes.length);
    expect(Number(await page.getAttribute('#price-chart', 'data-last-ts'))).toBe(history.ts[history.length - 1]);

    // Level of detail: zoomed out over the whole history, a candle stands for many bars (the label says how many,
    // the count still counts the real bars) and every fill is marked on the candle holding it; zoomed in on a
    // fill, the real bars are back, one per candle, and the fill is still marked.
    const attr = async (name: string): Promise<string> => (await page.getAttribute('#price-chart', name)) ?? '';
    const view = async (): Promise<{ from: number; to: number; width: number }> => {
      const [from = 0, to = 0, width = 0] = (await attr('data-view')).split(',').map(Number);
      return { from, to, width };
    };
    const label = async (): Promise<string> => (await page.textContent('#chart-level')) ?? '';
    expect(await label()).toBe('1 candle = 1 bar');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    for (let i = 0; i < 300; i++) {
      const v = await view();
      if (v.from <= 0 && v.to >= history.length - 1 && Number(await attr('data-level')) > 1) break;
      await page.mouse.wheel(0, 100);
      await page.waitForTimeout(20);
    }
    // The last swap comes once the view has settled (at most 300 ms after the wheel stops); the label a render later.
    await page.waitForTimeout(400);
    const shownLevel = async (): Promise<number> => {
      const k = Number(await attr('data-level'));
      return (await label()) === `1 candle = ${k} bars (${k}d)` ? k : 0;
    };
    await until('the whole history is shown in candles of many bars', async () => (await shownLevel()) >= 64);
    const coarse = await shownLevel();
    expect(Number(await attr('data-points'))).toBe(Math.ceil(history.length / coarse));
    expect((await page.textContent('#chart-info')) ?? '').toContain('26,000 bars from store');
    expect(Number(await attr('data-markers-shown'))).toBe(fillTimes.length);
    await screenshot(page, 'markets-history-zoomed-out');

    const fillBar = history.ts.findIndex((t, i) => t <= (fillTimes[0] as number) && (fillTimes[0] as number) < (history.ts[i + 1] ?? Infinity));
    for (let i = 0; i < 300 && Number(await attr('data-level')) > 1; i++) {
      // Aim at the fill's bar each time (the view moves a little under the mouse as it zooms).
      const v = await view();
      await page.mouse.move(box.x + ((fillBar - v.from) / (v.to - v.from)) * v.width, box.y + box.height / 3);
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(20);
    }
    await until('the real bars are back', async () => (await label()) === '1 candle = 1 bar');
    const near = await view();
    expect(near.to - near.from).toBeLessThan(near.width / 2);
    expect(fillBar).toBeGreaterThanOrEqual(near.from);
    expect(fillBar).toBeLessThanOrEqual(near.to);
    expect(Number(await attr('data-markers-shown'))).toBeGreaterThanOrEqual(1);
    expect(Number(await attr('data-points'))).toBeLessThanOrEqual(10_000);
    expect((await page.textContent('#chart-info')) ?? '').toContain('26,000 bars from store');

    await page.check('#overlay-bb20');
    await page.waitForSelector('#price-chart canvas');
    await screenshot(page, 'markets-history');
    expect(errors).toEqual([]);
    await page.close();
  });
});

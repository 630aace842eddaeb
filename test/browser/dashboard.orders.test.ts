// Orders & trades in a real browser against the real server: a trader submits a limit order, modifies and
// cancels it, sees a risk rejection in plain words, the ticket refuses a bad order before sending; trades
// export as CSV; orders sort on the server; the overview shows positions by strategy and broker health; a viewer
// sees no order controls.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { dashboardRig, downloadText, screenshot, signIn, until } from '../helpers/dashboard.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard orders & trades', () => {
  const rig = dashboardRig(150);

  const lastClose = async (symbol: string): Promise<number> => {
    const q = await rig.server.request('GET', `/api/v1/market/quote/${symbol}`, { token: await rig.server.adminToken() });
    return q.body.last as number;
  };
  const row = (page: Page, id: number) => page.locator(`tr[data-order="${id}"]`);

  it('submits, modifies and cancels an order; shows a risk rejection in plain words', async () => {
    await rig.server.userToken('tom', 'trader');
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'tom', 'tom-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/orders"]');
    await page.waitForSelector('#order-ticket');

    // Checked before sending: no symbol, no quantity, a limit order without a price.
    await page.selectOption('#ticket-type', 'limit');
    await page.click('#ticket-submit');
    await page.waitForSelector('#ticket-symbol-err');
    expect(await page.textContent('#ticket-quantity-err')).toMatch(/above zero/);
    expect(await page.textContent('#ticket-limitPrice-err')).toMatch(/limit price/);

    // A buy limit far under the market stays working.
    const limit = Math.floor((await lastClose('DEMOA')) * 0.5 * 100) / 100;
    await page.fill('#ticket-symbol', 'demoa');
    await page.fill('#ticket-quantity', '10');
    await page.fill('#ticket-limitPrice', String(limit));
    await page.click('#ticket-submit');
    await page.locator('#ticket-result', { hasText: 'Order #' }).waitFor();
    const id = Number(/#(\d+)/.exec((await page.textContent('#ticket-result')) ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    await row(page, id).waitFor();
    expect(await row(page, id).getAttribute('data-status')).not.toBe('rejected');
    await screenshot(page, 'orders-trader');

    // Modify: a new total quantity.
    await row(page, id).locator('button.modify').click();
    await page.fill('.modify-form .modify-quantity', '7');
    await page.click('.modify-form button[type=submit]');
    await until('the row shows the new quantity', async () => (await row(page, id).locator('td').nth(5).textContent()) === '7');
    const afterModify = await rig.server.request('GET', `/api/v1/orders/${id}`, { token: await rig.server.adminToken() });
    expect(afterModify.body.quantity).toBe(7);

    // Cancel.
    await row(page, id).locator('button.cancel').click();
    await page.waitForSelector(`tr[data-order="${id}"][data-status="canceled"]`);
    expect(await row(page, id).locator('button.cancel').count()).toBe(0);

    // Far more than the account can buy: the risk engine refuses, in words.
    await page.selectOption('#ticket-type', 'market');
    await page.fill('#ticket-quantity', '10000000');
    await page.click('#ticket-submit');
    await page.locator('#ticket-result', { hasText: 'rejected' }).waitFor();
    const text = (await page.textContent('#ticket-result')) ?? '';
    expect(text).toMatch(/Not enough buying power|larger than the per-position|exposure limit/);
    expect(text).not.toMatch(/^RISK_/);
    await page.waitForSelector('tr[data-status="rejected"] .reason');
    await screenshot(page, 'orders-rejection');

    // Filters: only rejected ones.
    await page.selectOption('#orders-status', 'rejected');
    await until('only rejected orders are listed', async () => (await page.locator('tr[data-status]:not([data-status="rejected"])').count()) === 0);
    expect(await page.locator('tr[data-status="rejected"]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('builds a bracket in the ticket: the exits are refused on the wrong side, then listed under the entry', async () => {
    await rig.server.userToken('bea', 'trader');
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'bea', 'bea-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/orders"]');
    await page.waitForSelector('#order-ticket');
    const last = await lastClose('DEMOB');
    await page.fill('#ticket-symbol', 'DEMOB');
    await page.fill('#ticket-quantity', '3');
    // Wrong way round for a buy: refused before sending.
    await page.fill('#ticket-takeProfit', (last * 0.5).toFixed(2));
    await page.fill('#ticket-stopLoss', (last * 2).toFixed(2));
    await page.click('#ticket-submit');
    expect(await page.textContent('#ticket-takeProfit-err')).toMatch(/above its stop-loss/);
    // Far from the market both ways, so both exits stay working.
    await page.fill('#ticket-takeProfit', (last * 3).toFixed(2));
    await page.fill('#ticket-stopLoss', (last * 0.3).toFixed(2));
    await page.click('#ticket-submit');
    await page.locator('#ticket-result', { hasText: 'bracket' }).waitFor();
    const id = Number(/#(\d+)/.exec((await page.textContent('#ticket-result')) ?? '')?.[1]);
    const token = await rig.server.adminToken();
    const legs = (await rig.server.request('GET', '/api/v1/orders?symbol=DEMOB&limit=50', { token })).body.items as { id: number; parentId: number | null; role: string; type: string; limitPrice: number | null; stopPrice: number | null }[];
    const exits = legs.filter((o) => o.parentId === id);
    expect(exits.map((o) => o.role).sort()).toEqual(['stop-loss', 'take-profit']);
    expect(exits.find((o) => o.role === 'take-profit')?.limitPrice).toBeCloseTo(Number((last * 3).toFixed(2)), 6);
    expect(exits.find((o) => o.role === 'stop-loss')?.stopPrice).toBeCloseTo(Number((last * 0.3).toFixed(2)), 6);
    await row(page, exits[0]?.id ?? -1).waitFor();
    await screenshot(page, 'orders-bracket');
    for (const o of exits) await rig.server.request('DELETE', `/api/v1/orders/${o.id}`, { token });
    // A stop entry takes no bracket: the fields go away.
    await page.selectOption('#ticket-type', 'stop');
    expect(await page.locator('#ticket-takeProfit').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers OPG and CLS: refused before sending with a stop order, and the simulated venue\'s refusal shown in plain words', async () => {
    await rig.server.userToken('otto', 'trader');
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'otto', 'otto-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/orders"]');
    await page.waitForSelector('#order-ticket');
    const offered = await page.locator('#ticket-tif option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toEqual(['DAY', 'GTC', 'IOC', 'FOK', 'OPG', 'CLS']);
    await page.fill('#ticket-symbol', 'DEMOA');
    await page.fill('#ticket-quantity', '2');
    await page.selectOption('#ticket-type', 'stop');
    await page.fill('#ticket-stopPrice', '1000');
    await page.selectOption('#ticket-tif', 'CLS');
    await page.click('#ticket-submit');
    expect(await page.textContent('#ticket-tif-err')).toBe('CLS (an auction order) takes a market or limit order only.');
    expect(await page.locator('#ticket-result').count()).toBe(0);
    // A market order at the open auction: the API takes it, the simulated exchange has no auction and refuses it.
    await page.selectOption('#ticket-type', 'market');
    await page.selectOption('#ticket-tif', 'OPG');
    await page.click('#ticket-submit');
    await page.locator('#ticket-result', { hasText: 'Order #' }).waitFor();
    const text = (await page.textContent('#ticket-result')) ?? '';
    expect(text).toMatch(/^Order #\d+ rejected: This venue does not take OPG orders \(they trade in the opening auction\): choose DAY or GTC/);
    expect(text).toContain('time in force OPG');
    const id = Number(/#(\d+)/.exec(text)?.[1]);
    const stored = await rig.server.request('GET', `/api/v1/orders/${id}`, { token: await rig.server.adminToken() });
    expect(stored.body).toMatchObject({ status: 'rejected', tif: 'OPG', type: 'market' });
    await screenshot(page, 'orders-auction-refused');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts orders on the server: the largest order of all heads the table', async () => {
    const page = await rig.page();
    await rig.server.userToken('una', 'viewer');
    await signIn(page, rig.server.url, 'una', 'una-password-123');
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/orders`);
    await page.waitForSelector('#orders tbody tr[data-order]');
    const qtyHeader = '#orders th:nth-child(6)';
    await page.click(`${qtyHeader} button`);
    await page.click(`${qtyHeader} button`);
    expect(await page.getAttribute(qtyHeader, 'aria-sort')).toBe('descending');
    const firstQty = async (): Promise<number> => Number(((await page.locator('#orders tbody tr[data-order]').first().locator('td').nth(5).textContent()) ?? '').replace(/,/g, ''));
    const top = async (): Promise<number> => (await rig.server.request('GET', '/api/v1/orders?limit=1&sort=quantity&dir=desc', { token: await rig.server.adminToken() })).body.items[0].quantity as number;
    await until('the largest order is first', async () => (await firstQty()) === (await top()));
    const all = (await rig.server.request('GET', '/api/v1/orders?limit=1000', { token: await rig.server.adminToken() })).body.items as { quantity: number }[];
    expect(await firstQty()).toBe(Math.max(...all.map((o) => o.quantity)));
    await page.close();
  });

  it('shows positions by strategy and broker health on the overview', async () => {
    const trader = await rig.server.userToken('ola', 'trader');
    const buy = await rig.server.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOB', side: 'buy', quantity: 4, type: 'market' } });
    expect(buy.status).toBe(201);
    await rig.server.session.advance(2);
    const api = (await rig.server.request('GET', '/api/v1/positions/by-strategy', { token: trader })).body as { mode: string; items: { strategy: string; symbol: string; quantity: number }[] };
    const open = api.items.filter((p) => p.quantity !== 0);
    expect(open.some((p) => p.strategy === 'manual' && p.symbol === 'DEMOB' && p.quantity >= 4)).toBe(true);
    const page = await rig.page();
    await signIn(page, rig.server.url, 'ola', 'ola-password-123');
    await page.waitForSelector('#positions-by-strategy');
    await page.waitForSelector('#positions-by-strategy tr[data-owner="manual"][data-symbol="DEMOB"]');
    const rows = page.locator('#positions-by-strategy tbody tr');
    expect(await rows.count()).toBe(open.length);
    const manual = page.locator('#positions-by-strategy tr[data-owner="manual"][data-symbol="DEMOB"]');
    expect(Number(await manual.getAttribute('data-quantity'))).toBe(open.find((p) => p.strategy === 'manual' && p.symbol === 'DEMOB')?.quantity);
    expect(await manual.locator('td').first().textContent()).toBe('by hand');
    expect(await page.getAttribute('#position-mode', 'data-mode')).toBe(api.mode);
    // Each venue /brokers reports (the simulated exchange on embedded defaults), its state in words.
    const brokers = (await rig.server.request('GET', '/api/v1/brokers', { token: trader })).body.brokers as { venue: string; state: string }[];
    expect(brokers.length).toBeGreaterThan(0);
    await page.waitForSelector('#brokers li');
    expect(await page.locator('#brokers li').count()).toBe(brokers.length);
    for (const b of brokers) {
      const li = page.locator(`#brokers li[data-venue="${b.venue}"]`);
      expect([await li.getAttribute('data-state'), await li.textContent()]).toEqual([b.state, expect.stringContaining(`${b.venue}: ${b.state}`)]);
    }
    await screenshot(page, 'overview-books');
    await page.close();
  });

  it('exports trades as CSV and sorts them', async () => {
    const page = await rig.page();
    await rig.server.userToken('vic', 'viewer');
    await signIn(page, rig.server.url, 'vic', 'vic-password-123');
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/orders`);
    await page.waitForSelector('#trades table tbody tr');
    // A viewer sees no ticket and no order actions.
    expect(await page.locator('#order-ticket').count()).toBe(0);
    expect(await page.locator('button.cancel, button.modify').count()).toBe(0);
    const api = await rig.server.request('GET', '/api/v1/trades?limit=1000', { token: await rig.server.adminToken() });
    expect(api.body.total).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#trades-csv')]);
    const csv = await downloadText(download);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,pnl,commission');
    expect(lines).toHaveLength(api.body.total + 1);
    expect(lines[1]?.startsWith(`${api.body.items[0].symbol},`)).toBe(true);
    // Sorting by P&L ascending puts the worst trade of all (the server sorts across pages) first.
    await page.click('#trades th:nth-child(8) button');
    const worst = Math.min(...(api.body.items as { pnl: number }[]).map((t) => t.pnl));
    await until('the worst trade is first', async () => ((await page.textContent('#trades tbody tr:first-child td:nth-child(8)')) ?? '').includes(Math.abs(worst).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')));
    const first = (await page.textContent('#trades tbody tr:first-child td:nth-child(8)')) ?? '';
    expect(first).toContain(Math.abs(worst).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    expect(await page.getAttribute('#trades th:nth-child(8)', 'aria-sort')).toBe('ascending');
    await screenshot(page, 'orders-viewer');
    await page.close();
  });
});

// Risk and Admin in a real browser against the real server: trip and reset the kill switch with a reason,
// the drawdown gauge, limits refused (bad JSON, a bad config) with nothing changed; users created (one-time
// password shown) and disabled, the audit log filtered; a viewer sees neither controls nor the Admin page.

import { describe, expect, it } from 'vitest';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { ADMIN_PASSWORD } from '../helpers/apiServer.js';
import { dashboardRig, screenshot, signIn, until } from '../helpers/dashboard.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard risk and admin', () => {
  const rig = dashboardRig(60);

  it('trips and resets the kill switch, guards the limits, manages users and reads the audit log', async () => {
    const admin = await rig.server.adminToken();
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/risk"]');
    await page.waitForSelector('#drawdown-gauge');
    await page.click('#kill-action');
    await page.fill('#kill-reason', 'desk check');
    await page.click('#kill-confirm');
    await page.locator('#kill-state', { hasText: 'TRIPPED' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/risk/status', { token: admin })).body.killSwitch).toMatchObject({ tripped: true, reason: 'desk check' });
    await page.click('#kill-action');
    await page.click('#kill-confirm');
    await page.locator('#kill-state', { hasText: 'armed' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/risk/status', { token: admin })).body.killSwitch.tripped).toBe(false);

    const before = (await rig.server.request('GET', '/api/v1/risk/limits', { token: admin })).body;
    // Field by field: a bad value is named and nothing is sent.
    await page.fill('#limit-maxOpenOrders', '-3');
    await page.click('#limits-save');
    await page.locator('#limit-maxOpenOrders-err', { hasText: 'above zero' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/risk/limits', { token: admin })).body).toEqual(before);
    // A good one is saved and in force.
    await page.fill('#limit-maxOpenOrders', '1000');
    await page.fill('#limit-maxPositionQty', '12345');
    await page.click('#limits-save');
    await page.waitForSelector('#limits-saved');
    expect((await rig.server.request('GET', '/api/v1/risk/limits', { token: admin })).body.global.maxPositionQty).toBe(12345);
    await page.fill('#limit-maxPositionQty', '');
    await page.click('#limits-save');
    await until('the limit is off again', async () => (await rig.server.request('GET', '/api/v1/risk/limits', { token: admin })).body.global.maxPositionQty === undefined);
    await screenshot(page, 'risk');

    await page.click('nav a[href="#/admin"]');
    await page.fill('#new-username', 'newbie');
    await page.click('#new-user button[type=submit]');
    await page.locator('#new-user-otp', { hasText: 'newbie' }).waitFor();
    const row = page.locator('tr[data-user="newbie"]');
    await row.locator('.state', { hasText: 'must change password' }).waitFor();
    await row.locator('button.toggle-user').click();
    await row.locator('.state', { hasText: 'disabled' }).waitFor();
    await page.fill('#audit-action', 'user.create');
    await until('the audit log shows only user.create', async () => (await page.locator('#audit-table tr[data-action]:not([data-action="user.create"])').count()) === 0 && (await page.locator('#audit-table tr[data-action="user.create"]').count()) > 0);
    await page.waitForSelector('#system-info table tr');
    // The server log: the recent entries the API holds (tests log at warn, so maybe none), then live ones.
    const logged = (await rig.server.request('GET', '/api/v1/system/logs?limit=100', { token: admin })).body.items.length;
    await until('the log lists the recent entries', async () => (await page.locator('#log-lines li').count()) >= logged);
    await screenshot(page, 'admin');
    expect(errors).toEqual([]);
    await page.close();

    await rig.server.userToken('vio', 'viewer');
    const v = await rig.page();
    await signIn(v, rig.server.url, 'vio', 'vio-password-123');
    await v.waitForSelector('#nav');
    expect(await v.locator('nav a[href="#/admin"]').count()).toBe(0);
    await v.goto(`${rig.server.url}/#/risk`);
    await v.waitForSelector('#kill-state');
    expect(await v.locator('#kill-action, #limits-form').count()).toBe(0);
    await v.goto(`${rig.server.url}/#/admin`);
    await v.waitForSelector('#admin-only');
    await v.close();
  });
});

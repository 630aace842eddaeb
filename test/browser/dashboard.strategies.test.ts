// Strategies in a real browser against the real server: the session's instances with P&L, stop and start,
// parameters checked against the schema before sending and applied; the catalogue; a viewer has no controls.

import { describe, expect, it } from 'vitest';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { dashboardRig, screenshot, signIn } from '../helpers/dashboard.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard strategies', () => {
  const rig = dashboardRig(60);

  it('stops, starts and re-parameterizes an instance; viewers only read', async () => {
    const admin = await rig.server.adminToken();
    const inst = (await rig.server.request('GET', '/api/v1/strategies', { token: admin })).body.items[0];
    expect(inst).toBeDefined();
    await rig.server.userToken('sam', 'trader');
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'sam', 'sam-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/strategies"]');
    const row = page.locator(`tr[data-instance="${inst.id}"]`);
    await row.waitFor();
    await row.locator('button.stop').click();
    await row.locator('.state', { hasText: 'stopped' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/strategies', { token: admin })).body.items[0].running).toBe(false);
    await row.locator('button.start').click();
    await row.locator('.state', { hasText: 'running' }).waitFor();

    await row.locator('button.params').click();
    const fast = page.locator(`#p-${inst.id}-fast`);
    await fast.fill('0');
    await page.click('.params-form button[type=submit]');
    await page.locator(`#p-${inst.id}-fast-help`, { hasText: 'at least 1' }).waitFor();
    await fast.fill('7');
    await page.click('.params-form button[type=submit]');
    await page.locator('.params-form').waitFor({ state: 'detached' });
    expect((await rig.server.request('GET', '/api/v1/strategies', { token: admin })).body.items[0].params.fast).toBe(7);
    expect(await page.locator('#catalogue summary', { hasText: 'sma-cross' }).count()).toBe(1);
    await screenshot(page, 'strategies');
    expect(errors).toEqual([]);
    await page.close();

    await rig.server.userToken('vera', 'viewer');
    const v = await rig.page();
    await signIn(v, rig.server.url, 'vera', 'vera-password-123');
    await v.waitForSelector('#nav');
    await v.goto(`${rig.server.url}/#/strategies`);
    await v.locator(`tr[data-instance="${inst.id}"]`).waitFor();
    expect(await v.locator('button.stop, button.start, button.params, #add-instance-form').count()).toBe(0);
    await v.close();
  });
});

// The dashboard's shell in a real browser (Debian's chromium via playwright-core) against the real server:
// the first sign-in with a one-time password, the overview moving as the paper session replays (equity over
// the WebSocket), theme, routes, silent token refresh, a re-login over an ended session that keeps what was typed, sign-out, the
// phone layout, and how the server serves the built files. Screenshots in test-artifacts/dashboard.

import { describe, expect, it } from 'vitest';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { ADMIN_PASSWORD } from '../helpers/apiServer.js';
import { dashboardRig, screenshot, scrollsSideways, signIn, expireAccessToken, storedTokens, until } from '../helpers/dashboard.js';
import { WAIT_BUDGET_MS } from '../helpers/budget.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard shell', () => {
  const rig = dashboardRig();

  it('serves index.html uncached and hashed assets cached for a year, gzipped', async () => {
    const index = await fetch(rig.server.url + '/');
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(js).toBeTruthy();
    const asset = await fetch(rig.server.url + js, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(rig.server.url + '/assets/nope.js')).status).toBe(404);
  });

  it('Risk before any position: exposure says it is empty, limits in force read in words', async () => {
    // Before the session's first step (later tests step it): no position, so no exposure.
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('#nav');
    await page.goto(`${rig.server.url}/#/risk`);
    await page.locator('#exposure-empty', { hasText: 'no open positions' }).waitFor();
    expect(await page.locator('#risk-exposure table').count()).toBe(0);
    const leverage = page.locator('#limits-global tr[data-limit="maxLeverage"] th');
    await leverage.waitFor();
    expect(await leverage.textContent()).toBe('Max leverage (1 = no margin)');
    const heads = await page.locator('#limits-global th').allTextContents();
    expect(heads.length).toBeGreaterThan(0);
    // Plain words, never a raw camelCase key.
    for (const h of heads) expect(h).not.toMatch(/[a-z][A-Z]/);
    await screenshot(page, 'risk-empty');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('first sign-in changes the one-time password, then the overview moves live', async () => {
    const created = await rig.server.request('POST', '/api/v1/users', { token: await rig.server.adminToken(), body: { username: 'pat', role: 'viewer' } });
    const otp = created.body.oneTimePassword as string;
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'pat', otp);
    await page.waitForSelector('#change-password');
    await screenshot(page, 'change-password');
    expect(await page.isVisible('#nav')).toBe(false);
    await page.fill('#new-password', 'pat-chosen-password-77');
    await page.fill('#new-password-again', 'pat-chosen-password-77');
    await page.click('#change-password button[type=submit]');
    await page.waitForSelector('#nav');
    await page.locator('#live-state', { hasText: 'live' }).waitFor();
    expect(await page.textContent('#who')).toContain('pat');
    await page.waitForSelector('#equity-points[data-points]');
    const before = Number(await page.getAttribute('#equity-points', 'data-points'));
    await rig.server.session.advance(120);
    await page.locator('#session-state', { hasText: 'step 120' }).waitFor({ timeout: WAIT_BUDGET_MS });
    // The equity curve grew from WebSocket events, without a reload.
    await until('the equity curve has more points', async () => Number(await page.getAttribute('#equity-points', 'data-points')) > before);
    expect(await page.$$eval('#equity-chart canvas', (els) => els.length)).toBeGreaterThan(0);
    const equity = await page.textContent('#equity .stat-value');
    expect(Number((equity ?? '').replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
    // A viewer sees no trading controls.
    expect(await page.locator('#kill-action').count()).toBe(0);
    expect(await page.locator('#pause, #resume, #pace').count()).toBe(0);
    await screenshot(page, 'overview-viewer');
    expect(errors).toEqual([]);
    expect((await rig.server.login('pat', 'pat-chosen-password-77')).accessToken).toBeTruthy();
    expect((await rig.server.request('POST', '/api/v1/auth/login', { body: { username: 'pat', password: otp } })).status).toBe(401);
    await page.close();
  });

  it('routes by hash, switches theme, refreshes tokens silently, re-logs in keeping typed input, signs out', async () => {
    await rig.server.request('POST', '/api/v1/users', { token: await rig.server.adminToken(), body: { username: 'tess', role: 'trader', password: 'tess-password-123' } });
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'tess', 'tess-password-123');
    await page.waitForSelector('#kill-action');
    await page.click('#theme');
    const theme = await page.getAttribute('html', 'data-theme');
    expect(theme).toBe('dark');
    await screenshot(page, 'overview-trader-dark');
    await page.click('nav a[href="#/optimization"]');
    await page.waitForSelector('#opt-runs');
    expect(await page.getAttribute('nav a[href="#/optimization"]', 'aria-current')).toBe('page');
    await screenshot(page, 'optimization');

    // An expired access token is refreshed without asking.
    await page.click('nav a[href="#/overview"]');
    await expireAccessToken(page);
    await page.reload();
    await page.waitForSelector('#kill-action');
    expect(await page.isVisible('#reauth')).toBe(false);
    expect(await storedTokens(page)).not.toContain('expired.token.value');

    // The session ended: the re-login dialog opens over the page; the typed reason survives and the trip goes through.
    await page.click('#kill-action');
    await page.fill('#kill-reason', 'typed before the session expired');
    // Disabling the user ends every session it has (access and refresh tokens); enabling does not revive them.
    await new Promise((r) => setTimeout(r, 1100)); // tokens carry second-granularity issue times
    const admin = await rig.server.adminToken();
    expect((await rig.server.request('POST', '/api/v1/users/tess/disable', { token: admin })).status).toBe(200);
    expect((await rig.server.request('POST', '/api/v1/users/tess/enable', { token: admin })).status).toBe(200);
    await page.click('#kill-confirm');
    await page.waitForSelector('#reauth');
    await screenshot(page, 'reauth');
    expect(await page.inputValue('#kill-reason')).toBe('typed before the session expired');
    await page.fill('#reauth #password', 'tess-password-123');
    await page.click('#reauth button[type=submit]');
    await page.locator('#kill-state', { hasText: 'TRIPPED' }).waitFor();
    expect(await page.textContent('#kill-state')).toContain('typed before the session expired');
    const status = await rig.server.request('GET', '/api/v1/risk/status', { token: await rig.server.adminToken() });
    expect(status.body.killSwitch.tripped).toBe(true);
    // A trader cannot reset it; an admin can.
    expect(await page.locator('#kill-action').count()).toBe(0);
    expect((await rig.server.request('DELETE', '/api/v1/risk/kill-switch', { token: await rig.server.adminToken(), body: { reason: 'test over' } })).status).toBe(200);

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    expect(await storedTokens(page)).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders every page on a phone without sideways scrolling, navigation behind a menu', async () => {
    const page = await rig.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, rig.server.url, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('#equity-chart');
    await page.waitForSelector('#session-state');
    expect(await page.isVisible('#nav')).toBe(false);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'overview-phone');
    await page.click('.menu-button');
    expect(await page.isVisible('#nav')).toBe(true);
    await page.click('nav a[href="#/optimization"]');
    await page.waitForSelector('#opt-runs');
    expect(await page.isVisible('#nav')).toBe(false);
    expect(await scrollsSideways(page)).toBe(false);
    // Every page: wide tables scroll inside their panel, never the page.
    for (const [path, ready] of [['orders', '#orders table'], ['markets', '#price-chart canvas'], ['backtests', '#backtest-form'], ['strategies', '#instances table'], ['risk', '#kill-state'], ['admin', '#users table']] as const) {
      await page.goto(`${rig.server.url}/#/${path}`);
      await page.waitForSelector(ready);
      expect(await scrollsSideways(page), `${path} scrolls sideways on a phone`).toBe(false);
      await screenshot(page, `${path}-phone`);
    }
    await page.close();
  });
});

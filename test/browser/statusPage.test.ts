// The status page in a real browser (Debian's chromium via playwright-core) against the real server: a first
// sign-in with a one-time password asks for a new one, then the account, positions and orders show and move as
// the paper session replays.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/apiServer.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('status page', () => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs in with a one-time password, changes it, and shows the session moving', async () => {
    const created = await s.request('POST', '/api/v1/users', { token: await s.adminToken(), body: { username: 'pat', role: 'viewer' } });
    const otp = created.body.oneTimePassword as string;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(s.url);
    await page.fill('#u', 'pat');
    await page.fill('#p', otp);
    await page.click('#login button');
    await page.waitForSelector('#change:not([hidden])');
    expect(await page.isVisible('#main')).toBe(false);
    await page.fill('#np', 'pat-chosen-password-77');
    await page.click('#change button');
    await page.waitForSelector('#main:not([hidden])');
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.isVisible('#change')).toBe(false);
    await s.session.advance(120);
    await page.locator('#state', { hasText: 'step 120' }).waitFor({ timeout: 10_000 });
    const equity = await page.textContent('#equity');
    expect(Number((equity ?? '').replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
    await page.locator('#orders tr').nth(1).waitFor({ timeout: 10_000 });
    expect(await page.$$eval('#spark polyline', (els) => els.length)).toBe(1);
    expect(errors).toEqual([]);
    // The new password works and the one-time one does not.
    expect((await s.login('pat', 'pat-chosen-password-77')).accessToken).toBeTruthy();
    expect((await s.request('POST', '/api/v1/auth/login', { body: { username: 'pat', password: otp } })).status).toBe(401);
    await page.close();
  }, 60_000);
});

// Browser-test helpers for the dashboard: the built web app must exist (npm run build), screenshots go to
// test-artifacts/dashboard (git-ignored), and signing in goes through the real form.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { webDistDir } from '../../src/api/webApp.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');

/** The dashboard tests need the built app; a missing build is a loud failure, not a skip. */
export function requireWebBuild(): void {
  const dir = webDistDir();
  if (dir === null || !existsSync(join(dir, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` before the dashboard browser tests');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in button[type=submit]');
}

/** Replaces the stored access token with one the server refuses, as after it expired (the page reads it on load). */
export async function expireAccessToken(page: Page): Promise<void> {
  // A string expression: the root tsconfig has no DOM types, and this runs in the page.
  await page.evaluate(`(() => {
    const t = JSON.parse(sessionStorage.getItem('pi5.tokens') || '{}');
    t.accessToken = 'expired.token.value';
    sessionStorage.setItem('pi5.tokens', JSON.stringify(t));
  })()`);
}

/** The stored tokens' JSON, or null when signed out. */
export async function storedTokens(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(`sessionStorage.getItem('pi5.tokens')`);
}

/** Whether the page scrolls sideways (a phone layout must not). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
}

/**
 * Polls `check` from the test side until it holds (the page's CSP forbids the string evaluation that
 * page.waitForFunction needs). Throws with `what` after `timeoutMs`.
 */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

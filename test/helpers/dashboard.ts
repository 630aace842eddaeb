// Browser-test helpers for the dashboard: the built web app must exist (npm run build), screenshots go to
// test-artifacts/dashboard (git-ignored), and signing in goes through the real form.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { webDistDir } from '../../src/api/webApp.js';
import { FAST_SCRYPT, startTestServer, type TestServer } from './apiServer.js';
import { launchBrowser } from './browser.js';
import { waitUntil } from './budget.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');

export interface DashboardRig {
  readonly server: TestServer;
  readonly browser: Browser;
  /**
   * A new tab (default 1280×900) in this file's one desktop browser context: each tab signs in on its own (the app
   * keeps its tokens in the tab's sessionStorage), and tabs after the first skip a context's start-up (~1 CPU-s of
   * Chromium each). A test that needs other context options (a phone) opens its own with browser.newPage.
   */
  page(viewport?: { readonly width: number; readonly height: number }): Promise<Page>;
}

/**
 * One test file's real server (its session advanced `steps` bars first) and headless browser: started before its
 * tests, closed after them. The browser is the project's shared Chromium (test/browserSetup.ts; this file's
 * contexts are its own); the server hashes passwords at a test cost (a sign-in is still a real scrypt check, ~1 ms instead of ~0.3 CPU-s).
 */
export function dashboardRig(steps = 0): DashboardRig {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let context: Promise<BrowserContext> | undefined;
  beforeAll(async () => {
    requireWebBuild();
    server = await startTestServer({}, { scrypt: FAST_SCRYPT });
    browser = await launchBrowser(inject('chromiumWsEndpoint'));
    if (steps > 0) await server.session.advance(steps);
    // A safety budget only: a server start (a first PGlite start), a browser launch and the steps took over 60 s at load 29+.
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`the ${what} did not start (see beforeAll)`);
    return x;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async page(viewport = { width: 1280, height: 900 }) {
      const b = started(browser, 'browser');
      context ??= b.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await (await context).newPage();
      if (viewport.width !== 1280 || viewport.height !== 900) await page.setViewportSize(viewport);
      return page;
    },
  };
}

/** The dashboard tests need the built app; a missing build is a loud failure, not a skip. */
export function requireWebBuild(): void {
  const dir = webDistDir();
  if (dir === null || !existsSync(join(dir, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` before the dashboard browser tests');
}

/** A download's text (read as a stream: the shared browser is a remote one, which has no local path to give). */
export async function downloadText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
 * page.waitForFunction needs). Throws with `what` after the wait budget.
 */
export const until = (what: string, check: () => Promise<boolean>): Promise<void> => waitUntil(what, check, 100);

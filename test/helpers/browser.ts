// Launches Debian's chromium through playwright-core for browser tests. Missing chromium skips the test
// loudly, except under CI=true, where it fails the run.

import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WAIT_BUDGET_MS } from './budget.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function browserAvailable(): boolean {
  if (chromiumPath()) return true;
  if (process.env.CI === 'true') throw new Error('CI=true but chromium is missing: install it with `apt-get install -y chromium`');
  process.stderr.write('\n*** SKIPPING browser tests: chromium not found (apt-get install -y chromium) ***\n\n');
  return false;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/**
 * The browser project's shared Chromium when `wsEndpoint` names it (test/browserSetup.ts; closing the result then
 * closes only this file's contexts), else a Chromium of the caller's own.
 */
export async function launchBrowser(wsEndpoint = ''): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium not found');
  const browser = wsEndpoint !== '' ? await chromium.connect(wsEndpoint) : await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  // Every page waits for its selectors, navigations and clicks up to the tests' wait budget, not Playwright's 30 s:
  // a budget, never a speed check (a loaded machine took that long to draw a page). newPage goes through newContext.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(WAIT_BUDGET_MS);
    return context;
  };
  return browser;
}

/** The page's uncaught errors from now on, collected as they happen (a test expects none at its end). */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

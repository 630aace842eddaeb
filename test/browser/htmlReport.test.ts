// The HTML report in a real browser: it renders offline with no errors, shows both charts, the metrics,
// the monthly table and every trade.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readBarsCsv } from '../../src/data/csv/index.js';
import { runBacktest } from '../../src/engine/backtestRunner.js';
import { writeHtmlReport } from '../../src/backtest/report/html.js';
import { smaCross } from '../../src/strategy/builtin/smaCross.js';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { sharedData } from '../helpers/shared.js';
import { parseSize } from '../../src/engine/specs.js';

describe.runIf(browserAvailable())('HTML report in chromium', () => {
  let browser: Browser;
  const path = join(mkdtempSync(join(tmpdir(), 'pi5-report-')), 'report.html');

  beforeAll(async () => {
    const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
    const result = runBacktest({ series: [nvda], strategy: smaCross, params: { fast: 10, slow: 30 }, size: parseSize('100') });
    await writeHtmlReport(path, result);
    browser = await launchBrowser(inject('chromiumWsEndpoint'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders without console errors or network requests, with charts and all 73 trades', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(path).href);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(2);
    const svgBox = await page.locator('svg').first().boundingBox();
    expect(svgBox?.width ?? 0).toBeGreaterThan(300);
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/sma-cross/);
    expect(text).toMatch(/103,370\.88/);
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(2);
    expect(text.match(/NVDA/g)?.length ?? 0).toBeGreaterThanOrEqual(73);
    await page.screenshot({ path: path.replace(/\.html$/, '.png'), fullPage: false });
  });
});

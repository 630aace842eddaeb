// Backtests in a real browser against the real server: parameters checked against the strategy's schema
// before sending, a run queued, followed to done, its metrics, charts, monthly heatmap and trades read, the
// trades exported; the server's refusal in words; a viewer sees runs but no form.

import { describe, expect, it } from 'vitest';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { dashboardRig, downloadText, screenshot, signIn } from '../helpers/dashboard.js';
import { WAIT_BUDGET_MS } from '../helpers/budget.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard backtests', () => {
  // The session steps a year of its demo bars first: a demo-source run is charted on them (same calendar from
  // 2015-01-01), so its trades in that year must be marked.
  const rig = dashboardRig(250);

  it('runs a backtest and reads its result', async () => {
    await rig.server.userToken('bea', 'trader');
    const page = await rig.page();
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'bea', 'bea-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/backtests"]');
    await page.waitForSelector('#bt-param-fast');

    // The schema says fast >= 1: refused before sending.
    await page.fill('#bt-param-fast', '0');
    await page.click('#bt-run');
    await page.locator('#bt-param-fast-help', { hasText: 'at least 1' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/backtests', { token: await rig.server.adminToken() })).body.total).toBe(0);

    // Stored bars of a symbol nobody stored: the server refuses, in words.
    await page.fill('#bt-param-fast', '5');
    await page.fill('#bt-param-slow', '20');
    await page.selectOption('#bt-source', 'store');
    await page.fill('#bt-symbols', 'NOPE');
    await page.click('#bt-run');
    await page.locator('#bt-new .error', { hasText: /NOPE|no .*bars|stored/i }).waitFor();

    await page.selectOption('#bt-source', 'demo');
    await page.fill('#bt-symbols', 'DEMOA, DEMOB');
    await page.click('#bt-run');
    await page.waitForSelector('tr[data-job][data-status="done"]', { timeout: WAIT_BUDGET_MS });
    await page.waitForSelector('#bt-metrics tr[data-metric="totalReturn"]');
    const job = (await rig.server.request('GET', '/api/v1/backtests', { token: await rig.server.adminToken() })).body.items[0];
    expect(job.status).toBe('done');
    expect(job.config.symbols).toEqual(['DEMOA', 'DEMOB']);
    const shown = (await page.textContent('#bt-metrics tr[data-metric="totalReturn"] td')) ?? '';
    expect(Number(shown.replace(/,/g, ''))).toBeCloseTo(job.metrics.totalReturn, 4);
    expect(await page.locator('#bt-metrics tr').count()).toBe(Object.keys(job.metrics).length);
    await page.waitForSelector('#bt-equity canvas');
    await page.waitForSelector('#bt-drawdown canvas');
    expect(await page.locator('#bt-monthly tbody tr').count()).toBeGreaterThan(0);
    const result = (await rig.server.request('GET', `/api/v1/backtests/${job.id}/result`, { token: await rig.server.adminToken() })).body;
    expect(await page.locator('#bt-trades tbody tr').count()).toBe(Math.min(200, result.trades.length));
    // The run's trades of its first symbol on the price chart: one mark per entry and exit inside the bars shown.
    await page.waitForSelector('#bt-price-chart canvas');
    const chartSymbol = await page.inputValue('#bt-chart-symbol');
    const bars = (await rig.server.request('GET', `/api/v1/bars?symbol=${chartSymbol}&timeframe=1d&limit=10000`, { token: await rig.server.adminToken() })).body.items as { ts: number }[];
    const [firstTs, lastTs] = [bars[0]?.ts ?? 0, (bars.at(-1)?.ts ?? 0) + 86_400_000];
    const inside = (t: string | null): number => (t !== null && Date.parse(t) >= firstTs && Date.parse(t) < lastTs ? 1 : 0);
    const expected = (result.trades as { symbol: string; entryTime: string | null; exitTime: string | null }[]).filter((t) => t.symbol === chartSymbol).reduce((n, t) => n + inside(t.entryTime) + inside(t.exitTime), 0);
    expect(Number(await page.getAttribute('#bt-price-chart', 'data-bars'))).toBe(bars.length);
    // Not vacuous: the run traded the charted symbol inside the bars shown, and every such entry and exit is marked.
    expect(expected).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('#bt-price-chart', 'data-markers'))).toBe(expected);
    await screenshot(page, 'backtests');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bt-trades-csv')]);
    const csv = await downloadText(download);
    expect(csv.trim().split('\r\n')).toHaveLength(result.trades.length + 1);
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('#bt-report')]);
    expect(await downloadText(report)).toMatch(/<html/i);

    // A second run with other parameters, compared side by side with the first.
    await page.fill('#bt-param-fast', '10');
    await page.fill('#bt-param-slow', '40');
    await page.click('#bt-run');
    await page.waitForSelector('tr[data-job][data-status="done"] >> nth=1', { timeout: WAIT_BUDGET_MS });
    const jobs = (await rig.server.request('GET', '/api/v1/backtests', { token: await rig.server.adminToken() })).body.items as { id: number; metrics: Record<string, number> }[];
    expect(jobs).toHaveLength(2);
    for (const j of jobs) await page.check(`tr[data-job="${j.id}"] .bt-compare`);
    await page.waitForSelector('#bt-compare');
    // Columns in the order the runs were ticked (the list's order, newest first).
    const cells = await page.locator('#bt-compare tr[data-metric="totalReturn"] td').allTextContents();
    expect(Number(cells[0]?.replace(/,/g, ''))).toBeCloseTo(jobs[0]?.metrics.totalReturn ?? NaN, 4);
    expect(Number(cells[1]?.replace(/,/g, ''))).toBeCloseTo(jobs[1]?.metrics.totalReturn ?? NaN, 4);
    await screenshot(page, 'backtests-compare');
    expect(errors).toEqual([]);
    await page.close();

    // A viewer sees the runs, not the form.
    await rig.server.userToken('val', 'viewer');
    const vpage = await rig.page();
    await signIn(vpage, rig.server.url, 'val', 'val-password-123');
    await vpage.waitForSelector('#nav');
    await vpage.goto(`${rig.server.url}/#/backtests`);
    await vpage.waitForSelector('tr[data-job]');
    expect(await vpage.locator('#backtest-form').count()).toBe(0);
    await vpage.close();
  }, 300_000); // a safety budget: two runs, their charts and downloads took over 120 s at load 40
});

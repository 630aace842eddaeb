// Optimization in a real browser against the real server: a small grid started from the form generated from
// the strategy's schema (a bound checked before sending), followed to done on the WebSocket, its best
// parameters and metrics (equal to the API's result), the verdict, the heatmap and the sorted, paged trials
// read; a viewer sees the runs but no form and no cancel; a walk-forward run shows its verdict and windows' diagnostics.

import { describe, expect, it } from 'vitest';
import { browserAvailable, pageErrors } from '../helpers/browser.js';
import { dashboardRig, screenshot, signIn } from '../helpers/dashboard.js';

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('dashboard optimization', () => {
  const rig = dashboardRig();

  it('starts a small grid, watches it finish, reads best params, heatmap and trials; a viewer cannot start or cancel', async () => {
    await rig.server.userToken('olga', 'trader');
    const page = await rig.page({ width: 1280, height: 1000 });
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'olga', 'olga-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/optimization"]');
    await page.waitForSelector('#opt-search-fast');

    // The schema says fast >= 1: refused before sending.
    await page.fill('#opt-fast-from', '0');
    await page.click('#opt-run');
    await page.locator('#opt-fast-error', { hasText: 'at least 1' }).waitFor();
    expect((await rig.server.request('GET', '/api/v1/optimizations', { token: await rig.server.adminToken() })).body.total).toBe(0);

    // 3 × 3 points: fast 5, 10, 15 and slow 20, 30, 40.
    for (const [id, v] of [['#opt-fast-from', '5'], ['#opt-fast-to', '15'], ['#opt-fast-step', '5'], ['#opt-slow-from', '20'], ['#opt-slow-to', '40'], ['#opt-slow-step', '10']] as const) await page.fill(id, v);
    await page.locator('#opt-count', { hasText: '9 grid points' }).waitFor();
    await page.fill('#opt-symbols', 'DEMOA');
    await page.click('#opt-run');
    await page.waitForSelector('tr[data-run][data-status="done"]', { timeout: 240_000 });
    const admin = await rig.server.adminToken();
    const run = (await rig.server.request('GET', '/api/v1/optimizations', { token: admin })).body.items[0];
    expect(run).toMatchObject({ status: 'done', trials: 9, trialsPlanned: 9 });
    await page.click(`tr[data-run="${run.id}"] .opt-open`);
    await page.waitForSelector('#opt-best tr[data-param="fast"]');
    const result = (await rig.server.request('GET', `/api/v1/optimizations/${run.id}/result`, { token: admin })).body;
    for (const k of ['fast', 'slow']) expect(await page.textContent(`#opt-best tr[data-param="${k}"] td`)).toBe(String(result.best.params[k]));
    expect(Number(await page.textContent('#opt-best-objective'))).toBeCloseTo(result.best.objective, 4);
    expect(await page.locator('#opt-best-metrics tr').count()).toBe(Object.keys(result.best.metrics).length);
    expect(await page.textContent('#opt-verdict')).toContain(result.diagnostics.verdict);

    // The heatmap: a cell per (fast, slow), the best one outlined and holding the best objective.
    await page.waitForSelector('#opt-heatmap td.heat >> nth=8');
    expect(await page.locator('#opt-heatmap td.heat').count()).toBe(9);
    const bestCell = page.locator(`#opt-heatmap td.best[data-x="${result.best.params.fast}"][data-y="${result.best.params.slow}"]`);
    expect(Number((await bestCell.textContent())?.replace(/\(best\)/, '').trim())).toBeCloseTo(result.best.objective, 2);

    // Trials: the best first (sorted by objective on the server), then sorted by trial number.
    await page.waitForSelector('#opt-trials tbody tr >> nth=8');
    expect(await page.locator('#opt-trials tbody tr').count()).toBe(9);
    expect(Number(await page.getAttribute('#opt-trials tbody tr >> nth=0', 'data-trial'))).toBe(result.best.id);
    await page.click('#opt-trials th button:has-text("#")');
    await page.waitForSelector('#opt-trials tbody tr:first-child[data-trial="0"]');
    await screenshot(page, 'optimization');
    expect(errors).toEqual([]);
    await page.close();

    await rig.server.userToken('vlad', 'viewer');
    const vpage = await rig.page();
    await signIn(vpage, rig.server.url, 'vlad', 'vlad-password-123');
    await vpage.waitForSelector('#nav');
    await vpage.goto(`${rig.server.url}/#/optimization`);
    await vpage.waitForSelector('tr[data-run]');
    expect(await vpage.locator('#opt-form').count()).toBe(0);
    expect(await vpage.locator('#opt-run').count()).toBe(0);
    expect(await vpage.locator('.opt-cancel').count()).toBe(0);
    await screenshot(vpage, 'optimization-viewer');
    await vpage.close();
  }, 400_000);

  it("shows a walk-forward run's verdict and each window's in-sample deflated Sharpe", async () => {
    const admin = await rig.server.adminToken();
    await rig.server.userToken('wanda', 'viewer');
    // Started over the API (the form is covered above): 9 points, 4 windows of demo bars.
    const post = await rig.server.request('POST', '/api/v1/optimizations', {
      token: admin,
      body: { strategy: 'sma-cross', symbols: ['DEMOW'], source: 'demo', demoBars: 800, grid: { fast: '5:15:5', slow: '20:40:10' }, walkForward: 'is=1y,oos=6m' },
    });
    expect(post.status, JSON.stringify(post.body)).toBe(202);
    const id = post.body.id as number;
    const page = await rig.page({ width: 1280, height: 1000 });
    const errors = pageErrors(page);
    await signIn(page, rig.server.url, 'wanda', 'wanda-password-123');
    await page.waitForSelector('#nav');
    await page.click('nav a[href="#/optimization"]');
    await page.waitForSelector(`tr[data-run="${id}"][data-status="done"]`, { timeout: 240_000 });
    await page.click(`tr[data-run="${id}"] .opt-open`);
    await page.waitForSelector('#opt-walkforward #opt-verdict');
    const wf = (await rig.server.request('GET', `/api/v1/optimizations/${id}/result`, { token: admin })).body.walkForward;
    expect(await page.textContent('#opt-verdict')).toContain(wf.diagnostics.verdict);
    const dsr = await page.locator('#opt-walkforward td[data-col="dsr"]').allTextContents();
    expect(dsr).toEqual(wf.windows.map((w: { diagnostics: { deflatedSharpe: number } | null }) => (w.diagnostics === null ? '–' : w.diagnostics.deflatedSharpe.toFixed(3))));
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});

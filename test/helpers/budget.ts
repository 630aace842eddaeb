// How long a test waits for something that should happen (a server to answer, a session to step, a page to draw)
// before it gives up: a safety budget, never an assertion. It is generous because on this shared 2-core machine a
// step that takes milliseconds when idle took tens of seconds at load 30 (docs/benchmarks.md, `npm test` time);
// a passing test never waits it out, only a broken one does. Per-test and hook budgets are in vitest.config.ts.

export const WAIT_BUDGET_MS = 120_000;

/** Polls `check` until it holds; throws, naming `what`, after `budgetMs` (longer only for waits known to be long). */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, intervalMs = 20, budgetMs = WAIT_BUDGET_MS): Promise<void> {
  const end = Date.now() + Math.max(budgetMs, WAIT_BUDGET_MS);
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

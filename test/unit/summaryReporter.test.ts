// The closing summary of the test run: counts, and every test skipped with a reason named with that reason
// (how the TimescaleDB skip stays visible). Fed the shape vitest passes to reporters.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestModule } from 'vitest/node';
import SummaryReporter from '../summaryReporter.js';

type Result = { state: 'passed' | 'failed' } | { state: 'skipped'; note: string | undefined };

function moduleOf(id: string, tests: ReadonlyArray<[string, Result]>): TestModule {
  const cases = tests.map(([fullName, r]) => ({ fullName, result: () => r }));
  return { relativeModuleId: id, state: () => 'passed', children: { allTests: () => cases[Symbol.iterator]() } } as unknown as TestModule;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('summary reporter', () => {
  it('names each skip that has a reason, then prints the counts', () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    new SummaryReporter().onTestRunEnd([
      moduleOf('test/a.test.ts', [['a > one', { state: 'passed' }], ['a > two', { state: 'failed' }], ['a > filtered', { state: 'skipped', note: undefined }]]),
      moduleOf('test/tsdb.test.ts', [['TimescaleDB features > hypertables', { state: 'skipped', note: 'no timescaledb' }]]),
    ]);
    expect(out.join('')).toBe('\nskipped: test/tsdb.test.ts > TimescaleDB features > hypertables: no timescaledb\n\n1 passed, 1 failed, 2 skipped\n');
  });
});

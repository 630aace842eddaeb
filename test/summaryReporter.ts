// Prints one plain closing line, "N passed, N failed, N skipped", after vitest's own report, so CI logs
// state the count in a form any reader (or tool) understands. Before it, every test skipped with a reason
// (ctx.skip(note), e.g. TimescaleDB absent) is named with that reason, so no such skip goes unseen.

import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notes: string[] = [];
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'passed') passed++;
        else if (r.state === 'failed') failed++;
        else {
          skipped++;
          if (r.state === 'skipped' && r.note !== undefined) notes.push(`skipped: ${m.relativeModuleId} > ${t.fullName}: ${r.note}`);
        }
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

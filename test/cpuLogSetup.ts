// PI5_TEST_CPU_LOG=<file>: after each test file, appends one line "<cpu s> <wall s> <file>" to <file>, where
// cpu is the CPU time (user + system) of the worker that ran it plus every child process it waited for (CLI
// runs, servers; /proc/self/stat utime+stime+cutime+cstime). On a shared machine the wall time measures the
// load; the CPU time is what the file costs (docs/benchmarks.md, `npm test` time). Linux only; a no-op unset.
// PI5_TEST_CPU_LOG_TESTS=1 adds a line per test ("  <cpu s> <wall s> <file> > <test>") before its file's.
// Not counted: the browser project's shared Chromium (test/browserSetup.ts, a child of vitest's main process), nor
// any Chromium's renderers, which its zygote leaves to init on exit (no rusage of ours sees them): time a browser
// run as a whole under a child subreaper (prctl PR_SET_CHILD_SUBREAPER) to count them.

import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';

const out = process.env.PI5_TEST_CPU_LOG;

/** Seconds of CPU this process and its reaped children used so far. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); fields[0] here is field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

if (out !== undefined && out !== '') {
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  if (process.env.PI5_TEST_CPU_LOG_TESTS === '1') {
    let at = { cpu: 0, wall: 0 };
    beforeEach(() => {
      at = { cpu: cpuSeconds(), wall: performance.now() };
    });
    afterEach((ctx) => {
      const file = relative(process.cwd(), expect.getState().testPath ?? 'unknown');
      appendFileSync(out, `  ${(cpuSeconds() - at.cpu).toFixed(2)} ${((performance.now() - at.wall) / 1000).toFixed(2)} ${file} > ${ctx.task.name}\n`);
    });
  }
  afterAll(() => {
    const file = relative(process.cwd(), expect.getState().testPath ?? 'unknown');
    appendFileSync(out, `${(cpuSeconds() - cpu0).toFixed(2)} ${((performance.now() - wall0) / 1000).toFixed(2)} ${file} pid=${process.pid} total=${cpuSeconds().toFixed(2)}\n`);
  });
}

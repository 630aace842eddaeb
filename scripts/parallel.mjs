// `node scripts/parallel.mjs a b …` runs the npm scripts a, b, … side by side and exits with the first non-zero
// status among them (0 if all pass). `npm test` type-checks, lints and runs vitest at once: the first two are one
// single-threaded process each, and vitest leaves cores idle while its tests wait on servers, child processes and
// browsers, which the checks fill (docs/benchmarks.md, `npm test` time). Each prints only what it finds wrong, so
// vitest's report stays readable.

import { spawn } from 'node:child_process';

// Under `npm run`, npm_execpath is the npm that started us: run the scripts with the same one.
const npm = process.env.npm_execpath;
const names = process.argv.slice(2);
const codes = await Promise.all(
  names.map(
    (name) =>
      new Promise((done) => {
        const child = npm === undefined ? spawn('npm', ['run', name], { stdio: 'inherit', shell: process.platform === 'win32' }) : spawn(process.execPath, [npm, 'run', name], { stdio: 'inherit' });
        child.on('error', () => done(1));
        child.on('close', (code) => done(code ?? 1));
      }),
  ),
);
process.exit(codes.find((c) => c !== 0) ?? 0);

// `node scripts/parallel.mjs a b …` runs the npm scripts a, b, … side by side and exits with the first non-zero
// status among them (0 if all pass). `npm test` type-checks, lints and builds-then-runs vitest at once: the first
// two are one single-threaded process each, which fill the core the build's compiler leaves idle and the cores
// vitest leaves idle while its tests wait on servers, child processes and browsers (docs/benchmarks.md, `npm
// test` time). Each prints only what it finds wrong, so
// vitest's report stays readable.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Under `npm run`, npm_execpath is the npm that started us: run the scripts with the same one.
const npm = process.env.npm_execpath;
// The leading arguments that name package.json scripts run; the rest go to the last of them, so that
// `npm test -- test/unit/core` still hands the file filter to vitest.
const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts ?? {};
const args = process.argv.slice(2);
const split = args.findIndex((a) => !(a in scripts));
const names = split === -1 ? args : args.slice(0, split);
const extra = split === -1 ? [] : args.slice(split);
if (names.length === 0) {
  process.stderr.write(`parallel.mjs: ${args[0] ?? 'nothing'} is not a script in package.json\n`);
  process.exit(2);
}
const codes = await Promise.all(
  names.map(
    (name, i) =>
      new Promise((done) => {
        const run = ['run', name, ...(i === names.length - 1 && extra.length > 0 ? ['--', ...extra] : [])];
        const child = npm === undefined ? spawn('npm', run, { stdio: 'inherit', shell: process.platform === 'win32' }) : spawn(process.execPath, [npm, ...run], { stdio: 'inherit' });
        child.on('error', () => done(1));
        child.on('close', (code) => done(code ?? 1));
      }),
  ),
);
process.exit(codes.find((c) => c !== 0) ?? 0);

// `node scripts/parallel.mjs a b …` runs the npm scripts a, b, … side by side and exits with the first non-zero
// status among them (0 if all pass). `npm test` type-checks and lints at once: each is one single-threaded process,
// and run one after the other they left a core idle for about a minute (docs/benchmarks.md, `npm test` time).

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

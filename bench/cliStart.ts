// `pi5 --version` as a whole process, against `node -e 0` started the same way: what the CLI adds to
// Node's own start-up before any command runs (issue 15: ≤ 0.15 s where node -e 0 takes 0.10 s).

import { resolve } from 'node:path';
import { cost, pairedProcessSeconds, type BenchRecord } from './measure.js';

export function benchCliStart(cliPath: string): BenchRecord {
  const t = pairedProcessSeconds([process.execPath, resolve(cliPath), '--version'], [process.execPath, '-e', '0'], 9);
  return {
    ...cost('cli.coldStart', t.a, t.b, 's', 'baseline: node -e 0; median of 9 paired whole-process runs'),
    command: 'pi5 --version',
  };
}

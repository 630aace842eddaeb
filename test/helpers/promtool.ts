// promtool (Debian package `prometheus`) where it is installed: tests use it on top of their own checks. Absent,
// its checks are skipped with a loud notice; under CI=true they fail only when .ci/run installs it (it does not).

import { spawnSync } from 'node:child_process';

export function promtoolPath(): string | null {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return 'promtool';
  process.stderr.write('\n*** SKIPPING promtool checks: promtool is not installed (apt-get install prometheus) ***\n\n');
  return null;
}

export function promtool(args: readonly string[], stdin?: string): { code: number; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', ...(stdin === undefined ? {} : { input: stdin }) });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

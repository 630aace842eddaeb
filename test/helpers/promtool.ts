// promtool (Debian package `prometheus`) where it is installed: tests use it on top of their own checks. Absent,
// its checks are skipped with a loud notice, except under CI=true (.ci/run installs it), where its absence fails.

import { spawnSync } from 'node:child_process';

export function promtoolPath(): string | null {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return 'promtool';
  if (process.env.CI === 'true') throw new Error('promtool is not installed but CI=true: .ci/run installs it (apt-get install prometheus)');
  process.stderr.write('\n*** SKIPPING promtool checks: promtool is not installed (apt-get install prometheus) ***\n\n');
  return null;
}

export function promtool(args: readonly string[], stdin?: string): { code: number; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', ...(stdin === undefined ? {} : { input: stdin }) });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

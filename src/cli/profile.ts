// `--profile out.cpuprofile`: records a V8 CPU profile of a piece of work with node:inspector, so users can
// open it in Chrome DevTools and see where their strategy spends its time.

import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

export async function withCpuProfile<T>(path: string | undefined, work: () => Promise<T>): Promise<T> {
  if (path === undefined) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`CPU profile written to ${path} (open it in Chrome DevTools › Performance)\n`);
  }
}

// One writer at a time per catalog, across processes: an exclusive lock file holding the writer's pid. A lock
// left by a process that no longer exists (killed mid-import) is taken over, so a crash never blocks the store.

import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pi5Error } from '../../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding `path`; waits (polling) while a live process holds it, up to `waitMs`. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, waitMs = 120_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Pi5Error('PI5_ERR_IO', `${path}: cannot take the catalog lock (${(e as Error).message})`, { file: path });
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      // An empty file is a writer between creating and writing it: wait for it like any live holder.
      if (Number.isInteger(holder) && holder !== process.pid && !alive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Pi5Error('PI5_ERR_IO', `${path}: the bar catalog is locked by process ${Number.isInteger(holder) ? holder : '?'} (an import still running?)`, { file: path });
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

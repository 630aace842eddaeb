// Under the TypeScript sources (tests, tsx), a module's copy compiled by `tsc` into dist/, when that copy is
// current: threads and processes started beside a caller load it instead of compiling the sources again.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `<root>/dist/src/…/<name>.js` for a caller in `<root>/src/…`, if it is newer than every source file under
 * `<root>/src` (an edit since the last build falls back to the sources, so a worker never runs stale code).
 */
export function compiledBeside(callerUrl: string, name: string): URL | null {
  const caller = fileURLToPath(callerUrl);
  const at = caller.lastIndexOf(`${sep}src${sep}`);
  if (at < 0) return null;
  const root = caller.slice(0, at);
  const js = join(root, 'dist', relative(root, dirname(caller)), `${name}.js`);
  if (!existsSync(js) || statSync(js).mtimeMs < newestSource(join(root, 'src'))) return null;
  return pathToFileURL(js);
}

const newest = new Map<string, number>();

/** Latest modification time of a .ts file under `dir`, read once per process (~400 stats). */
function newestSource(dir: string): number {
  let t = newest.get(dir);
  if (t === undefined) {
    t = 0;
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.ts')) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
    newest.set(dir, t);
  }
  return t;
}

// startWorkerBeside under the TypeScript sources: the compiled copy in dist/ when it is current, the .ts through
// tsx when a source file changed after it was built. The modules here stand in for a project (src/ and dist/).

import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerBeside } from '../../../src/core/workerBeside.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

const first = (w: Worker): Promise<unknown> =>
  new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });

describe('startWorkerBeside from a .ts caller', () => {
  let root: string;
  let caller: string;
  let compiled: string;
  let source: string;
  beforeAll(async () => {
    // Inside the project, so the fallback finds tsx in its node_modules as a real caller would.
    await mkdir(join(PROJECT_ROOT, '.tmp'), { recursive: true });
    root = await mkdtemp(join(PROJECT_ROOT, '.tmp', 'workerBeside-'));
    await mkdir(join(root, 'src', 'mod'), { recursive: true });
    await mkdir(join(root, 'dist', 'src', 'mod'), { recursive: true });
    caller = pathToFileURL(join(root, 'src', 'mod', 'caller.ts')).href;
    source = join(root, 'src', 'mod', 'work.ts');
    compiled = join(root, 'dist', 'src', 'mod', 'work.js');
    await writeFile(join(root, 'src', 'mod', 'caller.ts'), 'export {};\n');
    await writeFile(source, "import { parentPort } from 'node:worker_threads';\nconst from: string = 'source';\nparentPort?.postMessage(from);\n");
    await writeFile(compiled, "import { parentPort } from 'node:worker_threads';\nparentPort?.postMessage('compiled');\n");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the compiled copy when it is newer than every source file', async () => {
    await utimes(compiled, new Date(), new Date(Date.now() + 60_000));
    const w = startWorkerBeside(caller, 'work', {});
    try {
      expect(await first(w)).toBe('compiled');
    } finally {
      await w.terminate();
    }
  });

  it('runs the source through tsx when a source file is newer than the compiled copy', async () => {
    await utimes(compiled, new Date(), new Date(Date.now() - 60_000));
    const w = startWorkerBeside(caller, 'work', {});
    try {
      expect(await first(w)).toBe('source');
    } finally {
      await w.terminate();
    }
  });
});

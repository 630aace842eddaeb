// The browser project's global setup: one headless Chromium for all its files (each file connects over the
// browser server's WebSocket and works in contexts of its own), and one new embedded data folder that each file's
// test server starts from a copy of. A Chromium launch and a first PGlite start (template, migrations, in a
// process of its own) cost each file ~1 and ~2 CPU-s when every file did its own.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { runProcessBeside } from '../src/core/processBeside.js';
import { CHROMIUM_ARGS, chromiumPath } from './helpers/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint; '' when chromium is missing (the files then skip or fail). */
    chromiumWsEndpoint: string;
    /** A data folder holding a new, migrated embedded database, to be copied, never written to. */
    pgliteDataTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templateDir = await mkdtemp(join(tmpdir(), 'pi5-browser-data-'));
  const executablePath = chromiumPath();
  let server: BrowserServer | undefined;
  try {
    // The same module the server runs for a new folder (pgliteThread.ts), so the copy is what a first start makes.
    const making = runProcessBeside(new URL('../src/persistence/pgliteThread.ts', import.meta.url).href, 'pgliteMake', [templateDir]);
    server = executablePath === undefined ? undefined : await chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_ARGS });
    await making;
  } catch (e) {
    await server?.close();
    await rm(templateDir, { recursive: true, force: true });
    throw e;
  }
  project.provide('chromiumWsEndpoint', server?.wsEndpoint() ?? '');
  project.provide('pgliteDataTemplate', templateDir);
  return async () => {
    await server?.close();
    await rm(templateDir, { recursive: true, force: true });
  };
}

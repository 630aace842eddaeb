// The browser project's global setup: one headless Chromium for all its files (each file connects over the
// browser server's WebSocket and works in contexts of its own): a launch cost each file ~1 CPU-s when every file
// did its own. (A new data folder needs nothing made here: it is a copy of the build's schema template.)

import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, chromiumPath } from './helpers/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint; '' when chromium is missing (the files then skip or fail). */
    chromiumWsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executablePath = chromiumPath();
  const server: BrowserServer | undefined = executablePath === undefined ? undefined : await chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_ARGS });
  project.provide('chromiumWsEndpoint', server?.wsEndpoint() ?? '');
  return async () => {
    await server?.close();
  };
}

// Paths into ../shared (read in place, never copied into the project).

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROJECT_ROOT = root;
export const SHARED = resolve(root, '..', 'shared');
export const sharedData = (name: string): string => resolve(SHARED, 'data', name);
export const conformance = (name: string): string => resolve(SHARED, 'conformance', name);
export const hasShared = existsSync(resolve(SHARED, 'data'));

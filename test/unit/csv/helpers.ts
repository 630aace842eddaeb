// Shared test helpers for the CSV loader: paths to sample data and catching coded errors.

import { fileURLToPath } from 'node:url';
import { isPi5Error, type Pi5Error } from '../../../src/core/errors.js';

/** The shared sample data beside the clone (../shared/data), used in place. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));

export function errorOf(fn: () => unknown): Pi5Error {
  try {
    fn();
  } catch (error) {
    if (isPi5Error(error)) return error;
    throw error;
  }
  throw new Error('expected a Pi5Error');
}

export async function asyncErrorOf(fn: () => Promise<unknown>): Promise<Pi5Error> {
  try {
    await fn();
  } catch (error) {
    if (isPi5Error(error)) return error;
    throw error;
  }
  throw new Error('expected a Pi5Error');
}

export const utc = (text: string): number => Date.parse(text);

// Assertions on coded errors (src/core/errors.ts): tests check the PI5_ERR_* code, not message text, so every
// test catches and inspects a thrown Pi5Error the same way instead of hand-rolling try/catch.

import { expect } from 'vitest';
import { isPi5Error, type Pi5Error } from '../../src/core/errors.js';

/** The Pi5Error `fn` throws; anything else thrown is rethrown, and not throwing fails the test. */
export function errorOf(fn: () => unknown): Pi5Error {
  try {
    fn();
  } catch (error) {
    if (isPi5Error(error)) return error;
    throw error;
  }
  throw new Error('expected a Pi5Error');
}

/** errorOf for async code. */
export async function asyncErrorOf(fn: () => Promise<unknown>): Promise<Pi5Error> {
  try {
    await fn();
  } catch (error) {
    if (isPi5Error(error)) return error;
    throw error;
  }
  throw new Error('expected a Pi5Error');
}

/** Asserts that `fn` throws a Pi5Error with `code`; returns it for assertions on its details. */
export function expectCode(fn: () => unknown, code: string): Pi5Error {
  const e = errorOf(fn);
  expect(e.code).toBe(code);
  return e;
}

/** expectCode for async code. */
export async function expectCodeAsync(fn: () => Promise<unknown>, code: string): Promise<Pi5Error> {
  const e = await asyncErrorOf(fn);
  expect(e.code).toBe(code);
  return e;
}

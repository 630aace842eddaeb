// Shared test helpers for the CSV loader: paths to sample data, and the coded-error helpers (test/helpers/errors.ts).

import { fileURLToPath } from 'node:url';

/** The shared sample data beside the clone (../shared/data), used in place. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/csv/', import.meta.url));

export { asyncErrorOf, errorOf } from '../../../helpers/errors.js';

export const utc = (text: string): number => Date.parse(text);

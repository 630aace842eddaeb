// The auth suite on embedded PGlite (in memory).

import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { authSuite } from './authSuite.js';

authSuite('PGlite', async () => {
  const db = await openDatabase({ inMemory: true });
  return { db, done: () => db.close() };
});

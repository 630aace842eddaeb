// The storage suite on embedded PGlite (in memory; one instance for the file, since each takes ~5 s).

import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { storageSuite } from './storeSuite.js';

storageSuite('PGlite', async () => {
  const db = await openDatabase({ inMemory: true });
  return { db, done: () => db.close() };
});

// The auth suite on the real PostgreSQL (a fresh database for this file, dropped after).

import { describe } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { authSuite } from './authSuite.js';

const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('PostgreSQL', () => {
  authSuite('PostgreSQL', async () => {
    const t = await createTestDatabase('pi5_auth');
    const db = await openDatabase({ databaseUrl: t.url });
    return { db, done: async () => { await db.close(); await t.drop(); } };
  });
});

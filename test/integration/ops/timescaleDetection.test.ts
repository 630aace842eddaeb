// TimescaleDB detection on the local PostgreSQL: whatever the server has, the state is consistent (usable only when
// available, preloaded, not the Apache build and creatable), and a server without it is plain PostgreSQL with no
// reason to report. Where PI5_TEST_TIMESCALE_URL points at a real TimescaleDB, it must be detected as usable.

import { describe, expect, it } from 'vitest';
import { inspectTimescale } from '../../../src/persistence/timescale.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '../../helpers/services.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { throwawaySession } from '../../../src/persistence/pgDatabase.js';

const hasPg = await postgresAvailable();
const timescaleUrl = process.env.PI5_TEST_TIMESCALE_URL;

describe.skipIf(!hasPg)('TimescaleDB detection', () => {
  it('reports a consistent state on the local server', async () => {
    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL });
    try {
      const t = await inspectTimescale(db);
      expect(t.usable).toBe(db.hasTimescale);
      expect(t.usable).toBe(t.available && t.preloaded && t.license !== 'apache' && t.canCreate);
      if (!t.available) expect(t.reason).toBeNull();
      if (t.available && !t.usable) expect(t.reason).toMatch(/preload|Apache|create/);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(timescaleUrl !== undefined)('TimescaleDB detection on a real TimescaleDB (PI5_TEST_TIMESCALE_URL)', () => {
  it('is available, preloaded, usable, and once created in a database the community build', async () => {
    const t = await createTestDatabase('pi5_tsdetect', timescaleUrl);
    const db = await openDatabase({ databaseUrl: t.url });
    try {
      // The licence setting comes with the extension's own library, loaded once the extension exists in the database.
      expect(await inspectTimescale(db)).toMatchObject({ usable: true, available: true, installed: false, preloaded: true, license: null, reason: null });
      // So detection asks on a throwaway session, where the extension is created and rolled back (an Apache-only
      // build is then plain PostgreSQL instead of failing migration 1001): nothing is kept, and the pool's sessions
      // can still create the extension.
      expect(await inspectTimescale(db, throwawaySession(t.url))).toMatchObject({ usable: true, installed: false, license: 'timescale', reason: null });
      await migrate(db);
      expect(await inspectTimescale(db)).toMatchObject({ usable: true, installed: true, license: 'timescale', reason: null });
    } finally {
      await db.close();
      await t.drop();
    }
  });
});

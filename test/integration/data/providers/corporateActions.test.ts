// The corporate_actions table on PGlite: an idempotent upsert that rewrites only changed rows, listing by
// ex-date with a range, and bars and actions committing in one transaction (a bad action stores no bar).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorporateAction } from '../../../../src/data/providers/types.js';
import { allocateSeries } from '../../../../src/model/barSeries.js';
import { BarStore } from '../../../../src/persistence/barStore.js';
import type { Database } from '../../../../src/persistence/database.js';
import { migrate } from '../../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../../src/persistence/openDatabase.js';
import { CorporateActionRepository, withinSameTransaction } from '../../../../src/persistence/repositories/corporateActions.js';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ inMemory: true });
  await migrate(db);
});
afterAll(async () => db.close());

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const split: CorporateAction = { kind: 'split', symbol: 'ACME', ts: day('2024-06-10'), numerator: 10, denominator: 1 };
const dividend: CorporateAction = { kind: 'dividend', symbol: 'ACME', ts: day('2024-03-01'), amount: 0.24, currency: 'USD' };

describe('corporate actions repository', () => {
  it('upserts idempotently: new rows, then nothing, then only the changed one', async () => {
    const repo = new CorporateActionRepository(db);
    expect(await repo.upsert([split, dividend], 'yahoo')).toBe(2);
    expect(await repo.upsert([split, dividend], 'yahoo')).toBe(0);
    expect(await repo.upsert([split, { ...dividend, amount: 0.25 }], 'yahoo')).toBe(1);
    expect(await repo.list('ACME')).toEqual([
      { ...dividend, amount: 0.25, source: 'yahoo' },
      { ...split, source: 'yahoo' },
    ]);
    expect(await repo.list('ACME', { from: day('2024-04-01'), to: day('2024-12-31') })).toEqual([{ ...split, source: 'yahoo' }]);
    expect(await repo.list('OTHER')).toEqual([]);
    await expect(repo.upsert([{ ...split, ts: day('2024-06-10') + 3_600_000 }], 'yahoo')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
  });

  it('commits bars and actions together: a rejected action leaves the bars unwritten', async () => {
    const s = allocateSeries('ATOM', '1d', 1, 2);
    s.ts[0] = day('2024-01-02');
    s.open[0] = 10;
    s.high[0] = 11;
    s.low[0] = 9;
    s.close[0] = 10.5;
    s.volume[0] = 100;
    // A split of 0:1 breaks the table's check: the bars' transaction must roll back with it.
    const bad: CorporateAction = { kind: 'split', symbol: 'ATOM', ts: day('2024-01-03'), numerator: 0, denominator: 1 };
    const failing = withinSameTransaction(db, async (tx) => {
      await new CorporateActionRepository(tx).upsert([bad], 'test');
    });
    await expect(new BarStore(failing).ingest([s])).rejects.toThrow();
    expect((await new BarStore(db).list()).filter((x) => x.symbol === 'ATOM')).toEqual([]);

    const good = withinSameTransaction(db, async (tx) => {
      await new CorporateActionRepository(tx).upsert([{ ...bad, numerator: 2 }], 'test');
    });
    expect(await new BarStore(good).ingest([s])).toEqual({ rows: 1, written: 1 });
    expect(await new CorporateActionRepository(db).list('ATOM')).toHaveLength(1);
  });
});

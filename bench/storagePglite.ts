// storage.pglite.ingest and storage.pglite.read (rows/s): the bar store on embedded PGlite (in memory), the
// engine a first run without DATABASE_URL uses. Baselines as for PostgreSQL: 1000-row parameterized INSERTs
// (on a tenth of the rows, which is plenty to time them) and SELECT * into row objects.

import { generateSyntheticBars } from '../src/data/synthetic.js';
import { BarStore } from '../src/persistence/barStore.js';
import { migrate } from '../src/persistence/migrations/index.js';
import { openDatabase } from '../src/persistence/openDatabase.js';
import { sliceSeries } from '../src/model/barSeries.js';
import { rate, type BenchRecord } from './measure.js';
import { insertBaseline, seconds } from './storage.js';

const ROWS = 1_000_000;

export async function benchStoragePglite(): Promise<BenchRecord[]> {
  const db = await openDatabase({ inMemory: true });
  try {
    await migrate(db);
    const series = generateSyntheticBars({ symbol: 'BENCH', bars: ROWS, seed: 42, timeframe: '1m' });
    const store = new BarStore(db);
    const ingest = await seconds(() => store.ingest([series]));
    const baseRows = ROWS / 10;
    const ingestBase = await seconds(() => insertBaseline(db, sliceSeries(series, 0, baseRows)));
    const read = await seconds(() => store.read({ symbols: ['BENCH'], timeframe: '1m' }));
    const readBase = await seconds(() => db.query(`select * from bars_baseline where symbol = 'BENCH' and timeframe = '1m' order by ts`));
    const note = 'PGlite (in memory) 1M 1m bars; baseline:';
    return [
      rate('storage.pglite.ingest', ROWS / ingest, baseRows / ingestBase, 'rows/s', `${note} 1000-row parameterized INSERTs (100k rows)`),
      rate('storage.pglite.read', ROWS / read, baseRows / readBase, 'rows/s', `${note} SELECT * into row objects (100k rows)`),
    ];
  } finally {
    await db.close();
  }
}

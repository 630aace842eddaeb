// Public surface of persistence: the database, its migrations, the bar and tick stores.

export type { Database, DatabaseConfig, DatabaseEngine, Queryable } from './database.js';
export { openDatabase, databaseConfigFromEnv } from './openDatabase.js';
export { migrate, status, type MigrationStatus } from './migrations/index.js';
export { BarStore, type BarRange, type StoredSeries, type IngestResult } from './barStore.js';
export { resampledSeries, storeResampled } from './barResample.js';
export { findGaps, type BarGap } from './barGaps.js';
export { TickStore, type TickRange, type StoredTicks } from './tickStore.js';
export { planStoreRead, readStoreSeries, type SeriesRequest, type StoreRead } from './storeSeries.js';
export * from './repositories/index.js';

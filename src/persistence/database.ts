// The one database interface the app talks to, whichever engine (PostgreSQL server or embedded PGlite)
// is behind it. Same SQL on both; COPY is exposed because bulk bar ingest and reads depend on it.

import type { BarCatalog } from './catalog/barCatalog.js';

export type DatabaseEngine = 'postgres' | 'pglite';
export type Row = Record<string, unknown>;
/** Takes one chunk of COPY output; a returned promise pauses the output until it settles. */
export type ChunkSink = (chunk: Uint8Array) => void | Promise<void>;

export interface Queryable {
  /** Runs one parameterized statement ($1, $2, ...) and returns its rows. */
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (DDL, migrations). */
  exec(sql: string): Promise<void>;
  /** `COPY ... FROM STDIN` fed with the given chunks (text or binary, as the statement's format says). */
  copyFrom(sql: string, chunks: Iterable<Uint8Array | string>): Promise<void>;
  /**
   * `COPY (...) TO STDOUT`: hands each chunk of output to `onChunk` as it arrives (chunks split rows anywhere).
   * A promise returned by `onChunk` holds further output until it settles (backpressure: a slow writer keeps
   * memory flat); the copy fails with its rejection.
   */
  copyTo(sql: string, onChunk: ChunkSink): Promise<void>;
}

/** A connection pool's occupancy (PostgreSQL's `pg.Pool`): open connections, the idle ones, callers waiting for one. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

export interface Database extends Queryable {
  readonly engine: DatabaseEngine;
  /** True when the timescaledb extension is available on the server (never on PGlite). */
  readonly hasTimescale: boolean;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Embedded on disk: where bars live instead of the bars table (decision 0009); BarStore reads and writes it. */
  readonly barCatalog?: BarCatalog;
  /** A database opened on first use: whether that happened yet. */
  opened?(): boolean;
  /** PostgreSQL only: the pool's occupancy now (/metrics reads it at each scrape). */
  poolStats?(): PoolStats;
  /** PGlite only: a consistent gzipped tarball of its data directory, taken between transactions (backups). */
  snapshot?(): Promise<Blob>;
}

export interface DatabaseConfig {
  /** PostgreSQL URL; absent → embedded PGlite. */
  readonly databaseUrl?: string;
  /** Where PGlite keeps its files (`<dataDir>/pglite`); absent with no URL → in memory. */
  readonly dataDir?: string;
  /** PGlite only: keep the database in memory (tests). */
  readonly inMemory?: boolean;
}

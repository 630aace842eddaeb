// Messages between the main thread and the PGlite worker (pgliteThread.ts ↔ pgliteWorker.ts): one request per
// Database call, answered by id; a transaction is opened, used by its id, and ended by commit or rollback.

import type { PgliteWasm } from './pgliteDatabase.js';

export type PgliteRequest =
  | { readonly id: number; readonly op: 'query'; readonly tx: number | null; readonly sql: string; readonly params: readonly unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly tx: number | null; readonly sql: string }
  | { readonly id: number; readonly op: 'copyFrom'; readonly tx: number | null; readonly sql: string; readonly chunks: readonly (Uint8Array | string)[] }
  | { readonly id: number; readonly op: 'copyTo'; readonly tx: number | null; readonly sql: string }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'snapshot' }
  | { readonly id: number; readonly op: 'close' };

/** A thrown error as it crosses the thread: a coded one keeps its code and details. */
export interface PgliteFailure {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
}

export type PgliteReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: PgliteFailure }
  /**
   * Sent once, first: the database is open (or could not be opened: `error`), with PGlite's compiled WebAssembly
   * for the next worker of this process.
   */
  | { readonly id: 0; readonly ok: 'opened'; readonly error?: PgliteFailure; readonly wasmModule?: PgliteWasm };

export interface PgliteWorkerData {
  readonly dataDir: string;
  /** PGlite's WebAssembly as an earlier worker of this process compiled it. */
  readonly wasmModule?: PgliteWasm;
  /** Without `wasmModule`: compile the module apart and hand it back (true), or let PGlite compile its own. */
  readonly shareWasm?: boolean;
}

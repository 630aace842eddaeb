// `COPY ... TO STDOUT` on a pg connection, delivering the COPY payload per socket read. PostgreSQL sends
// one CopyData message per row; unwrapping them one object at a time (pg's parser, pg-copy-streams) cost
// more than everything else in a 1M-bar read, so this strips the framing in place, in one pass.

import type pg from 'pg';
import type { ChunkSink } from './database.js';

type DataHandler = (chunk: Buffer) => void;

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR = 0x45; // 'E'

/**
 * A pg Submittable, used like pg-copy-streams' `to()`: it takes the socket over from pg's parser while
 * rows arrive and hands it back at CopyDone (or at an ErrorResponse, which pg then reports as usual).
 */
export class CopyOut implements pg.Submittable {
  readonly done: Promise<void>;
  private resolve: () => void = () => undefined;
  private reject: (e: unknown) => void = () => undefined;
  private stream: pg.Connection['stream'] | undefined;
  private pgHandler: DataHandler | undefined;
  /** Header bytes of a message split across reads. */
  private head = Buffer.alloc(0);
  private type = 0;
  private left = 0;
  private inMessage = false;
  /** An error thrown by onChunk: the rest of the output is drained, then the copy fails with it. */
  private failure: unknown;
  /** onChunk's promise for the last chunk: the socket stays paused until it settles. */
  private pending: Promise<void> | undefined;
  private readonly onData: DataHandler = (chunk) => this.data(chunk);

  constructor(
    private readonly sql: string,
    private readonly onChunk: ChunkSink,
  ) {
    this.done = new Promise<void>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  submit(connection: pg.Connection): void {
    const stream = connection.stream;
    const handlers = stream.listeners('data') as DataHandler[];
    const pgHandler = handlers[0];
    if (handlers.length !== 1 || pgHandler === undefined) throw new Error('unexpected pg connection: expected one data listener');
    this.stream = stream;
    this.pgHandler = pgHandler;
    stream.removeListener('data', pgHandler);
    stream.on('data', this.onData);
    connection.query(this.sql);
  }

  handleError(err: unknown): void {
    this.reject(err);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    // The last chunk's consumer may still be writing it out.
    void (this.pending ?? Promise.resolve()).then(() => {
      if (this.failure === undefined) this.resolve();
      else this.reject(this.failure);
    });
  }

  // Hot loop (one message per row): no per-message objects. A Buffer view per header cost more than the
  // rest of the read together, mostly in the garbage collector.
  private data(chunk: Buffer): void {
    let p = 0;
    let w = 0; // CopyData payload is compacted to the front of the chunk
    while (p < chunk.length) {
      if (!this.inMessage) {
        let header: Buffer | undefined;
        if (this.head.length === 0 && chunk.length - p >= 5) {
          this.type = chunk[p] ?? 0;
          this.left = chunk.readUInt32BE(p + 1) - 4;
          p += 5;
        } else {
          // A header split across reads: rare, so it may allocate.
          const need = 5 - this.head.length;
          this.head = Buffer.concat([this.head, chunk.subarray(p, p + need)]);
          p = Math.min(chunk.length, p + need);
          if (this.head.length < 5) break;
          header = this.head;
          this.head = Buffer.alloc(0);
          this.type = header[0] ?? 0;
          this.left = header.readUInt32BE(1) - 4;
        }
        if (this.type === ERROR || this.type === COPY_DONE) {
          this.emit(chunk, w);
          // pg parses the ErrorResponse itself; after CopyDone it expects CommandComplete, ReadyForQuery.
          // The ErrorResponse header is still in the chunk (at p - 5) unless it came split across reads.
          const rest = this.type === COPY_DONE ? chunk.subarray(p) : header === undefined ? chunk.subarray(p - 5) : Buffer.concat([header, chunk.subarray(p)]);
          this.detach(rest);
          return;
        }
        this.inMessage = true;
      }
      const take = Math.min(this.left, chunk.length - p);
      if (this.type === COPY_DATA) {
        if (w !== p) chunk.copyWithin(w, p, p + take);
        w += take;
      }
      p += take;
      this.left -= take;
      if (this.left === 0) this.inMessage = false;
    }
    this.emit(chunk, w);
  }

  private emit(chunk: Buffer, length: number): void {
    if (length === 0 || this.failure !== undefined) return;
    let waiting: void | Promise<void>;
    try {
      waiting = this.onChunk(chunk.subarray(0, length));
    } catch (e) {
      this.failure = e;
      return;
    }
    if (waiting === undefined) return;
    // Backpressure: no more socket reads (so no more server output buffered here) until the consumer is done.
    const stream = this.stream;
    stream?.pause();
    this.pending = waiting.then(
      () => {
        this.pending = undefined;
        stream?.resume();
      },
      (e: unknown) => {
        this.failure = e;
        this.pending = undefined;
        stream?.resume();
      },
    );
  }

  private detach(rest: Buffer): void {
    const { stream, pgHandler } = this;
    if (stream === undefined || pgHandler === undefined) return;
    stream.removeListener('data', this.onData);
    stream.on('data', pgHandler);
    if (rest.length > 0) pgHandler(rest);
  }
}

// The server's structured (JSON) log stream: each line goes to the output and into a ring of the most recent
// entries, which GET /api/v1/system/logs and the WebSocket `logs` channel serve.

import { Writable } from 'node:stream';

export type LogEntry = Readonly<Record<string, unknown>>;

export class LogRing extends Writable {
  private readonly entries: LogEntry[] = [];
  private readonly subscribers = new Set<(e: LogEntry) => void>();

  constructor(
    private readonly capacity = 500,
    private readonly out: { write(s: string): unknown } | null = process.stdout,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    const text = chunk.toString();
    this.out?.write(text);
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let entry: LogEntry;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        entry = { msg: line };
      }
      this.entries.push(entry);
      if (this.entries.length > this.capacity) this.entries.shift();
      for (const l of this.subscribers) l(entry);
    }
    done();
  }

  /** Newest last; at most `limit`. */
  recent(limit: number): LogEntry[] {
    return this.entries.slice(-limit);
  }

  listen(listener: (e: LogEntry) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }
}

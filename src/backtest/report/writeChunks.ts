// Writes a report file piece by piece, so no output ever needs to exist as one string in memory.

import { open, type FileHandle } from 'node:fs/promises';
import type { Buffer } from 'node:buffer';
import { Pi5Error } from '../../core/errors.js';

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ioError(path: string, e: unknown): Pi5Error {
  return new Pi5Error('PI5_ERR_IO', `cannot write ${path}: ${reason(e)}`, { path });
}

/** A file written chunk by chunk as the chunks are produced (a streamed export); close it when done. */
export interface ChunkFile {
  write(chunk: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Creates (or truncates) `path`; a file-system failure names the file (PI5_ERR_IO). Strings are written as UTF-8. */
export async function openChunkFile(path: string): Promise<ChunkFile> {
  let file: FileHandle;
  try {
    file = await open(path, 'w');
  } catch (e) {
    throw ioError(path, e);
  }
  return {
    write: async (chunk) => {
      try {
        if (typeof chunk === 'string') await file.write(chunk, null, 'utf8');
        else await file.write(chunk);
      } catch (e) {
        throw ioError(path, e);
      }
    },
    close: () => file.close(),
  };
}

/**
 * Writes each chunk while the next one is produced: one write is in flight while the producer makes the
 * next chunk, so the file system's time (a thread-pool round trip per write, long when the cores are busy)
 * overlaps the formatting instead of adding to it. A producer that reuses its buffers must therefore leave
 * a chunk unchanged until the chunk after the next one is asked for (two alternating buffers suffice).
 * Errors raised while producing the chunks pass through unchanged.
 */
export async function writeChunks(path: string, chunks: Iterable<string | Buffer>): Promise<void> {
  const file = await openChunkFile(path);
  let writing: Promise<void> | null = null;
  try {
    for (const chunk of chunks) {
      if (writing !== null) await writing;
      writing = file.write(chunk);
    }
    if (writing !== null) await writing;
  } finally {
    // A producer's error leaves a write in flight: let it settle before closing (its own error, if any,
    // is secondary to the producer's).
    if (writing !== null) await writing.catch(() => undefined);
    await file.close();
  }
}

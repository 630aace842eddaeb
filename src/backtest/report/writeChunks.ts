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

/** Strings are written as UTF-8. A file-system failure names the file (PI5_ERR_IO); errors raised while
 * producing the chunks pass through unchanged. */
export async function writeChunks(path: string, chunks: Iterable<string | Buffer>): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(path, 'w');
  } catch (e) {
    throw ioError(path, e);
  }
  try {
    for (const chunk of chunks) {
      try {
        if (typeof chunk === 'string') await file.write(chunk, null, 'utf8');
        else await file.write(chunk);
      } catch (e) {
        throw ioError(path, e);
      }
    }
  } finally {
    await file.close();
  }
}

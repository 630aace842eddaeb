// Loading bar CSV files from disk, one file or every *.csv of a directory in name order. Files are read in
// chunks into one reused buffer rather than whole: first-touching a fresh 50 MB buffer costs more than parsing it.

import { open, readdir, type FileHandle } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { Pi5Error } from '../../core/errors.js';
import type { ParsedColumns } from './csvChunks.js';
import { createCsvParser, pickSymbol, symbolFromPath, toSeries } from './parseBarsCsv.js';
import type { CsvBarSeries, CsvParseOptions } from './types.js';

export type ReadCsvOptions = Partial<CsvParseOptions>;

/** Reads stay within a core's L2 cache, so rows are parsed while their bytes are still cached. */
const READ_BYTES = 1 << 18;

/** Missing paths are bad input (exit 2); other failures are I/O errors (exit 1). */
function readFailure(path: string, error: unknown): Pi5Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  const badInput = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
  return new Pi5Error(badInput ? 'PI5_ERR_BAD_CSV' : 'PI5_ERR_IO', `${path}: cannot read (${code})`, {
    file: path,
    cause: code,
  });
}

async function parseFile(path: string, opts: CsvParseOptions): Promise<ParsedColumns> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readFailure(path, error);
  }
  // Two read buffers in turn: the next read runs on the thread pool while this one is parsed, so the
  // parse never waits for a read round trip (long when the cores are busy). The parser copies each read
  // into its own chunk, which also holds a line cut at a read's end.
  const buffers = [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)] as const;
  let position = 0;
  const readNext = async (buf: Buffer): Promise<number> => {
    try {
      const { bytesRead } = await handle.read(buf, 0, READ_BYTES, position);
      position += bytesRead;
      return bytesRead;
    } catch (error) {
      throw readFailure(path, error);
    }
  };
  let reading: Promise<number> | null = null;
  try {
    // The fallback symbol comes from the path, not from `source`, which may be a label.
    const parser = createCsvParser(opts, (await handle.stat()).size, symbolFromPath(path));
    for (let turn = 0; ; turn ^= 1) {
      const buf = turn === 0 ? buffers[0] : buffers[1];
      const bytesRead = await (reading ?? readNext(buf));
      if (bytesRead === 0) return parser.end();
      reading = readNext(turn === 0 ? buffers[1] : buffers[0]);
      parser.push(buf, bytesRead);
    }
  } finally {
    // A parse error leaves a read in flight: let it settle before the file closes.
    if (reading !== null) await reading.catch(() => 0);
    await handle.close();
  }
}

/** Bars of one file; the symbol defaults to the file name's leading token (NVDA-1999-2014.csv → NVDA). */
export async function readBarsCsv(path: string, opts: ReadCsvOptions = {}): Promise<CsvBarSeries> {
  const parseOpts = { ...opts, source: opts.source ?? path };
  return pickSymbol(await parseFile(path, parseOpts), parseOpts);
}

/** Every *.csv file of `dir`, sorted by name; a file with a symbol column gives one series per symbol. */
export async function readBarsDir(
  dir: string,
  opts: Omit<ReadCsvOptions, 'source' | 'symbol'> = {},
): Promise<CsvBarSeries[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw readFailure(dir, error);
  }
  const all: CsvBarSeries[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.csv')).sort()) {
    const path = join(dir, name);
    all.push(...toSeries(await parseFile(path, { ...opts, source: path }), path));
  }
  return all;
}

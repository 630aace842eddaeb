// Loading bar CSV files from disk, one file or every *.csv of a directory in name order. Files are read in
// chunks into one reused buffer rather than whole: first-touching a fresh 50 MB buffer costs more than parsing it.

import { open, readdir, type FileHandle } from 'node:fs/promises';
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
  try {
    // The fallback symbol comes from the path, not from `source`, which may be a label.
    const parser = createCsvParser(opts, (await handle.stat()).size, symbolFromPath(path));
    for (;;) {
      const room = parser.space(READ_BYTES);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(room, 0, Math.min(room.length, READ_BYTES), null));
      } catch (error) {
        throw readFailure(path, error);
      }
      if (bytesRead === 0) return parser.end();
      parser.commit(bytesRead);
    }
  } finally {
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

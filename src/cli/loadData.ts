// Loads the bars a CLI run asks for: a CSV file or a directory of them, filtered to --symbols and
// resampled to --timeframe when that is coarser than the file's; or, without --data, bars from the store.

import { stat } from 'node:fs/promises';
import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { readBarsCsv, readBarsDir } from '../data/csv/index.js';
import { resampleSeries } from '../data/resample.js';
import { toOpenTime, type BarTimeLabel } from '../data/barTime.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';

export interface DataRequest {
  readonly paths: readonly string[];
  readonly symbols?: readonly string[];
  readonly timeframe?: string;
  readonly timeZone?: string;
  /** What the files' timestamps name: bar opens (default) or bar ends, moved back to opens on read. */
  readonly barTime?: BarTimeLabel;
}

async function loadPath(path: string, timeZone: string | undefined): Promise<BarSeries[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--data ${path}: no such file or directory`, { file: path });
  }
  const opts = timeZone === undefined ? {} : { timeZone };
  const series = isDir ? await readBarsDir(path, opts) : [await readBarsCsv(path, opts)];
  // An empty file would otherwise surface later as "no bars in the selected range", without its name.
  if (series.length > 0 && series.every((s) => s.length === 0)) {
    const what = isDir ? 'the CSV files of this directory have' : 'the file has';
    throw new Pi5Error('PI5_ERR_NO_DATA', `--data ${path}: no bars (${what} a header but no data rows)`, { file: path });
  }
  return series;
}

export async function loadSeries(req: DataRequest): Promise<BarSeries[]> {
  const all: BarSeries[] = [];
  for (const p of req.paths) all.push(...(await loadPath(p, req.timeZone)).map((x) => toOpenTime(x, req.barTime ?? 'open')));
  if (all.length === 0) throw new Pi5Error('PI5_ERR_NO_DATA', `--data ${req.paths.join(', ')}: no CSV files found`);
  let chosen = all;
  if (req.symbols && req.symbols.length > 0) {
    const have = new Map(all.map((s) => [s.symbol.toUpperCase(), s]));
    chosen = req.symbols.map((sym) => {
      const s = have.get(sym.toUpperCase());
      if (!s) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--symbols: ${sym} is not in the data (found ${[...have.keys()].join(', ')})`, { symbol: sym });
      return s;
    });
  }
  return req.timeframe === undefined ? chosen : chosen.map((s) => resampleSeries(s, req.timeframe as string));
}

/** The loaded series of one symbol, for --benchmark. */
export function pickSeries(all: readonly BarSeries[], symbol: string, flag: string): BarSeries {
  const s = all.find((x) => x.symbol.toUpperCase() === symbol.toUpperCase());
  if (!s) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${flag}: ${symbol} is not in the data (found ${all.map((x) => x.symbol).join(', ')})`);
  return s;
}

export interface StoreRequest {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Inclusive upper bound, epoch ms. The lower bound is left to the run, exactly as with CSV data. */
  readonly to?: number;
  /** Raw (default), split- or split- and dividend-adjusted with the stored corporate actions, relative to `to`. */
  readonly adjustment?: PriceAdjustment;
  /** Told what was built from a finer stored timeframe (the CLI prints it on stderr). */
  readonly onNote?: (note: string) => void;
}

/**
 * Bars of the requested symbols from the store (DATABASE_URL, or PGlite in PI5_DATA_DIR), through the same
 * readRunBars (persistence/runBars.ts) the API's backtest jobs use.
 */
export async function loadStoreSeries(req: StoreRequest): Promise<BarSeries[]> {
  // The store and its database drivers load only when bars come from it: a CSV backtest starts without them.
  const [{ BarStore }, { withDatabase }, { readRunBars }] = await Promise.all([
    import('../persistence/barStore.js'),
    import('../persistence/session.js'),
    import('../persistence/runBars.js'),
  ]);
  return withDatabase(async (db) =>
    readRunBars(db, new BarStore(db), {
      symbols: req.symbols,
      timeframe: req.timeframe,
      ...(req.to === undefined ? {} : { to: req.to }),
      ...(req.adjustment === undefined ? {} : { adjustment: req.adjustment }),
      hint: `import them with pi5 data import (${db.engine}), see pi5 data list`,
      ...(req.onNote === undefined ? {} : { onNote: req.onNote }),
    }),
  );
}

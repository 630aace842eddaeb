// `pi5 data import|list|export|resample|gaps`: bars in and out of the store (registered in data.ts, loaded when
// one of them runs). Imports parse every file before writing anything and write in one transaction (or one
// catalog commit), so a bad file leaves the store as it was.

import { once } from 'node:events';
import { Pi5Error } from '../../core/errors.js';
import { BarsCsvWriter, barsCsvBlocks, readBarsCsv, type CsvBarSeries } from '../../data/csv/index.js';
import { parseBarTime, toOpenTime } from '../../data/barTime.js';
import { storedTimeframe } from '../storedTimeframe.js';
import { adjustedPriceDecimals, parsePriceAdjustment } from '../../data/adjust.js';
import { BarStore } from '../../persistence/barStore.js';
import { adjustStoredSeries } from '../../persistence/adjustedSeries.js';
import { storeResampled } from '../../persistence/barResample.js';
import { findGaps } from '../../persistence/barGaps.js';
import { withDatabase } from '../../persistence/session.js';
import { parseDateOption } from '../options.js';
import { progressReporter } from '../progress.js';
import { openChunkFile, type ChunkFile } from '../../backtest/report/writeChunks.js';

export interface ImportFlags {
  symbol?: string;
  timeframe?: string;
  timezone?: string;
  barTime?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function parseAll(files: readonly string[], f: ImportFlags): Promise<CsvBarSeries[]> {
  const out: CsvBarSeries[] = [];
  const barTime = parseBarTime(f.barTime);
  for (const file of files) {
    try {
      out.push(
        toOpenTime(await readBarsCsv(file, {
          ...(f.symbol === undefined ? {} : { symbol: f.symbol }),
          ...(f.timeframe === undefined ? {} : { timeframe: f.timeframe }),
          ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
        }), barTime),
      );
    } catch (e) {
      process.stderr.write(`${file}: rejected, nothing imported\n`);
      throw e;
    }
  }
  return out;
}

export async function importCommand(files: string[], f: ImportFlags): Promise<void> {
  // The database opens (connection, migration check) while the files are parsed. Nothing is written before every
  // file parsed, and a bad file is reported rather than a database failure met meanwhile.
  const parsing = parseAll(files, f);
  parsing.catch(() => undefined);
  try {
    await withDatabase(async (db) => {
      const series = await parsing;
      series.forEach((s, i) => {
        const rejected = s.skippedRows > 0 ? `, ${s.skippedRows} rejected (all prices null)` : '';
        process.stderr.write(`${files[i]}: ${s.symbol} ${s.timeframe}, ${s.length} rows accepted${rejected}\n`);
      });
      const r = await new BarStore(db).ingest(series, progressReporter('import'));
      process.stdout.write(`imported ${r.rows} bars (${r.written} new or changed) into ${db.engine}\n`);
    });
  } catch (e) {
    await parsing;
    throw e;
  }
}

export async function listCommand(f: { json?: boolean }): Promise<void> {
  await withDatabase(async (db) => {
    const list = await new BarStore(db).list();
    if (f.json) {
      process.stdout.write(JSON.stringify(list.map((s) => ({ ...s, firstTs: iso(s.firstTs), lastTs: iso(s.lastTs) })), null, 2) + '\n');
      return;
    }
    process.stdout.write('symbol      timeframe  first                     last                      bars\n');
    for (const s of list) {
      process.stdout.write(`${s.symbol.padEnd(11)} ${s.timeframe.padEnd(10)} ${iso(s.firstTs)}  ${iso(s.lastTs)}  ${s.count}\n`);
    }
  });
}

export interface ExportFlags {
  symbol: string;
  timeframe?: string;
  from?: string;
  to?: string;
  adjust?: string;
  out?: string;
}

/** Where an export goes: stdout (waiting whenever the pipe is full) or a file, opened at the first write. */
function exportSink(out: string | undefined): ChunkFile {
  if (out === undefined) {
    return {
      write: async (block) => {
        if (!process.stdout.write(block)) await once(process.stdout, 'drain');
      },
      close: async () => undefined,
    };
  }
  let file: Promise<ChunkFile> | undefined;
  return {
    write: async (block) => (await (file ??= openChunkFile(out))).write(block),
    close: async () => (await file)?.close(),
  };
}

const noBars = (symbol: string, timeframe: string): Pi5Error =>
  new Pi5Error('PI5_ERR_NO_DATA', `table bars: no ${symbol} ${timeframe} bars in the range (see pi5 data list)`, { symbol });

export async function exportCommand(f: ExportFlags): Promise<void> {
  const adjustment = parsePriceAdjustment(f.adjust, '--adjust');
  const from = f.from === undefined ? undefined : parseDateOption('--from', f.from, false);
  const to = f.to === undefined ? undefined : parseDateOption('--to', f.to, true);
  const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  await withDatabase(async (db) => {
    const store = new BarStore(db);
    const timeframe = await storedTimeframe(store, f.symbol, f.timeframe);
    const sink = exportSink(f.out);
    let bars = 0;
    try {
      if (adjustment === 'none') {
        // Streamed: each block of bars is written out (and the read paused while it is) before the next is read.
        let csv: BarsCsvWriter | undefined;
        bars = await store.readBlocks({ symbol: f.symbol, timeframe, ...range }, async (block) => {
          const first = csv === undefined;
          csv ??= new BarsCsvWriter(timeframe, block.priceDecimals);
          for (const b of csv.blocks(block, first)) await sink.write(b);
        });
      } else {
        // An adjusted series is relative to its last bar, so it is read whole first.
        const [raw] = await store.read({ symbols: [f.symbol], timeframe, ...range });
        if (raw !== undefined) {
          const s = await adjustStoredSeries(db, raw, adjustment, to);
          // Adjusted prices keep more decimals than the tick (data/adjust.ts): write them all, not the raw decimals.
          for (const b of barsCsvBlocks(s, { maxDecimals: adjustedPriceDecimals(s.priceDecimals) })) await sink.write(b);
          bars = s.length;
        }
      }
    } finally {
      await sink.close();
    }
    if (bars === 0) throw noBars(f.symbol, timeframe);
    if (f.out !== undefined) process.stderr.write(`exported ${bars} bars to ${f.out}\n`);
  });
}

export async function resampleCommand(f: { symbol: string; fromTimeframe: string; toTimeframe: string }): Promise<void> {
  await withDatabase(async (db) => {
    const n = await storeResampled(db, f.symbol, f.fromTimeframe, f.toTimeframe);
    process.stdout.write(`stored ${n} ${f.symbol} ${f.toTimeframe} bars\n`);
  });
}

export async function gapsCommand(f: { symbol: string; timeframe?: string; calendar: string }): Promise<void> {
  if (f.calendar !== 'nyse' && f.calendar !== 'none') throw new Pi5Error('PI5_ERR_BAD_USAGE', `--calendar ${f.calendar}: give nyse or none`);
  const calendar = f.calendar;
  await withDatabase(async (db) => {
    const gaps = await findGaps(db, f.symbol, await storedTimeframe(new BarStore(db), f.symbol, f.timeframe), calendar);
    for (const g of gaps) process.stdout.write(`${iso(g.after)} .. ${iso(g.before)}  ${g.missing} missing\n`);
    process.stdout.write(`${gaps.length} gap(s)\n`);
  });
}

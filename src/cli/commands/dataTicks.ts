// `pi5 data import-ticks` and `pi5 data ticks-to-bars`: trades into the store, and bars built from them in SQL.
// Like bar imports, every file is parsed before anything is written, and one transaction writes them all.

import type { Command } from 'commander';
import { readTicksCsv, type TickCsv } from '../../data/csv/readTicksCsv.js';
import { TickStore } from '../../persistence/tickStore.js';
import { withDatabase } from '../../persistence/session.js';
import { parseDateOption } from '../options.js';

async function importTicks(files: string[], f: { symbol: string }): Promise<void> {
  const parsed: TickCsv[] = [];
  for (const file of files) {
    try {
      const t = await readTicksCsv(file, f.symbol);
      const other = t.otherSymbolRows > 0 ? `, ${t.otherSymbolRows} rows of other symbols skipped` : '';
      process.stderr.write(`${file}: ${t.symbol}, ${t.length} ticks accepted${other}\n`);
      parsed.push(t);
    } catch (e) {
      process.stderr.write(`${file}: rejected, nothing imported\n`);
      throw e;
    }
  }
  await withDatabase(async (db) => {
    const r = await new TickStore(db).ingest(parsed);
    process.stdout.write(`imported ${r.rows} ticks (${r.written} new or changed) into ${db.engine}\n`);
  });
}

interface ToBarsFlags {
  symbol: string;
  timeframe: string;
  from?: string;
  to?: string;
}

async function ticksToBars(f: ToBarsFlags): Promise<void> {
  // Dates are inclusive: --to covers its last millisecond's microseconds too.
  const range = {
    symbol: f.symbol,
    ...(f.from === undefined ? {} : { fromUs: parseDateOption('--from', f.from, false) * 1000 }),
    ...(f.to === undefined ? {} : { toUs: parseDateOption('--to', f.to, true) * 1000 + 999 }),
  };
  await withDatabase(async (db) => {
    const r = await new TickStore(db).storeBars(range, f.timeframe);
    process.stdout.write(`stored ${r.bars} ${f.symbol} ${f.timeframe} bars from ticks (${r.written} new or changed)\n`);
  });
}

export function registerTickCommands(data: Command): void {
  data
    .command('import-ticks <csv...>')
    .description('import trade (tick) CSV files: time, price, size [, bid, ask, exchange, conditions] (all or nothing)')
    .requiredOption('--symbol <symbol>', 'symbol of the ticks (rows of other symbols in a symbol column are skipped)')
    .action(importTicks);
  data
    .command('ticks-to-bars')
    .description('build bars from stored ticks in SQL and store them (UTC buckets; open, high, low, close, summed size)')
    .requiredOption('--symbol <symbol>', 'symbol')
    .requiredOption('--timeframe <tf>', 'bar timeframe to build (1s, 1m, 5m, 1h, 1d, ...)')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .action(ticksToBars);
}

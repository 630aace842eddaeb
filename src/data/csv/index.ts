// Public surface of the CSV bar loader.

export { parseBarsCsv, parseBarsCsvMulti, symbolFromPath } from './parseBarsCsv.js';
export { readBarsCsv, readBarsDir, type ReadCsvOptions } from './readBarsCsv.js';
export { BarsCsvWriter, barsCsvBlocks, writeBarsCsv } from './writeBarsCsv.js';
export { inferTimeframe } from './inferTimeframe.js';
export { ZoneConverter } from './timeZone.js';
export type { CsvBarSeries, CsvParseOptions } from './types.js';

// `pi5 data fetch` and `pi5 data actions`: bars and corporate actions from a provider (registered in data.ts,
// loaded when one of them runs: the providers and their schemas are most of the data command's modules).

import { Pi5Error } from '../../core/errors.js';
import { openCache } from '../../cache/openCache.js';
import type { Cache } from '../../cache/types.js';
import { historicalProvider, type CorporateAction, type HistoricalBars } from '../../data/providers/index.js';
import { resilienceFromEnv, resilientProvider } from '../../data/providers/resilience/index.js';
import { BarStore } from '../../persistence/barStore.js';
import { CorporateActionRepository } from '../../persistence/repositories/corporateActions.js';
import { withDatabase } from '../../persistence/session.js';
import { parseDateOption, parseList } from '../options.js';
import { progressReporter } from '../progress.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export interface FetchFlags {
  provider: string;
  symbols: string;
  timeframe: string;
  from: string;
  to?: string;
}

function describeAction(a: CorporateAction): string {
  const date = iso(a.ts).slice(0, 10);
  return a.kind === 'split' ? `split ${a.symbol} ${date} ${a.numerator}:${a.denominator}` : `dividend ${a.symbol} ${date} ${a.amount} ${a.currency}`;
}

/** Every symbol through the provider wrapped in the response cache and its circuit breaker. */
async function fetchAll(cache: Cache, f: FetchFlags, symbols: readonly string[], from: number, to: number): Promise<HistoricalBars[]> {
  const provider = resilientProvider(historicalProvider(f.provider, process.env, { cache }), { cache, ...resilienceFromEnv(process.env) });
  const fetched: HistoricalBars[] = [];
  for (const [i, symbol] of symbols.entries()) {
    const r = await provider.fetchBars({ symbol, timeframe: f.timeframe, from, to });
    const empty = r.skippedRows > 0 ? `, ${r.skippedRows} empty rows skipped` : '';
    const note = provider.actionsNote?.(f.timeframe);
    const actions = note === undefined ? `${r.corporateActions.length} corporate actions` : `no corporate actions (${note})`;
    process.stderr.write(`[${i + 1}/${symbols.length}] ${provider.name} ${symbol} ${f.timeframe}: ${r.series.length} bars, ${actions}${empty}\n`);
    fetched.push(r);
  }
  return fetched;
}

/** Downloads every symbol before writing, then stores all in one transaction: a failure stores nothing. */
export async function fetchCommand(f: FetchFlags): Promise<void> {
  const symbols = parseList(f.symbols).map((s) => s.toUpperCase());
  if (symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--symbols: no symbol given (e.g. AAPL,MSFT)');
  const from = parseDateOption('--from', f.from, false);
  const to = f.to === undefined ? Date.now() : parseDateOption('--to', f.to, true);
  // Responses and request budgets live in the cache; with REDIS_URL they are shared across processes and runs.
  const cache = await openCache({ redisUrl: process.env.REDIS_URL });
  let fetched: HistoricalBars[];
  try {
    fetched = await fetchAll(cache, f, symbols, from, to);
  } finally {
    await cache.close();
  }
  // Always as traded (DESIGN.md §8): adjusted series are derived on read from these bars and the actions.
  const series = fetched.map((x) => x.series).filter((s) => s.length > 0);
  const actions = fetched.flatMap((x) => x.corporateActions);
  const source = f.provider.trim().toLowerCase();
  const show = progressReporter('store');
  await withDatabase(async (db) => {
    let storedActions = 0;
    // The actions commit with the bars: a failure stores neither.
    const r = await new BarStore(db).ingest(series, show, {
      alongside: async (tx) => {
        storedActions = await new CorporateActionRepository(tx).upsert(actions, source);
      },
    });
    process.stdout.write(`fetched ${r.rows} bars (${r.written} new or changed) into ${db.engine}, raw prices; ${actions.length} corporate actions (${storedActions} new or changed)\n`);
  });
  for (const a of actions) process.stdout.write(`${describeAction(a)}\n`);
}

export interface ActionsFlags {
  symbol: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export async function actionsCommand(f: ActionsFlags): Promise<void> {
  const symbol = f.symbol.trim().toUpperCase();
  await withDatabase(async (db) => {
    const list = await new CorporateActionRepository(db).list(symbol, {
      ...(f.from === undefined ? {} : { from: parseDateOption('--from', f.from, false) }),
      ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    });
    if (f.json) {
      process.stdout.write(JSON.stringify(list.map((a) => ({ ...a, exDate: iso(a.ts).slice(0, 10) })), null, 2) + '\n');
      return;
    }
    for (const a of list) process.stdout.write(`${describeAction(a)} (${a.source})\n`);
    process.stdout.write(`${list.length} corporate action(s) for ${symbol}\n`);
  });
}

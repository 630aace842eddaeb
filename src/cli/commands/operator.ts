// Operator commands on a trading node: `pi5 orders`, `pi5 positions`, `pi5 account` read a running node over its
// API (--url/--token, PI5_URL/PI5_TOKEN) or, with --store, the storage of a stopped one; `pi5 kill [--reason]`
// trips the kill switch and `pi5 kill --reset` clears it (over the API, or the risk state file with --state-file).

import type { Command } from 'commander';
import { loadConfig } from '../../config/configFile.js';
import { Pi5Error } from '../../core/errors.js';
import { SessionRecordsRepository } from '../../persistence/repositories/sessionRecords.js';
import { withDatabase } from '../../persistence/session.js';
import { apiCall, apiTarget, type ApiFlags } from '../apiClient.js';
import { parseNumberOption } from '../options.js';
import { killSwitchCommand } from './risk.js';

interface ReadFlags extends ApiFlags {
  store?: boolean;
  config?: string;
  session?: string;
  json?: boolean;
}

interface OrdersFlags extends ReadFlags {
  open?: boolean;
  symbol?: string;
  limit?: string;
}

interface OrderRow {
  readonly createdAt: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly type: string;
  readonly tif: string;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly status: string;
  readonly filledQuantity: number;
  readonly avgFillPrice: number;
  readonly strategy: string | null;
}

interface PositionRow {
  readonly symbol: string;
  readonly quantity: number;
  readonly avgPrice: number;
  readonly lastPrice: number | null;
  readonly marketValue: number | null;
  readonly unrealizedPnl: number | null;
  readonly realizedPnl: number;
}

interface AccountRow {
  readonly asOf: string | null;
  readonly cash: number;
  readonly equity: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly dayPnl: number | null;
  readonly openPositions: number | null;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

const fmt = (n: number | null, digits = 2): string => (n === null ? '-' : n.toFixed(digits));
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The store of the configured node (DATABASE_URL or PGlite in the data folder) and its session id. */
async function fromStore<T>(flags: ReadFlags, read: (repo: SessionRecordsRepository, sessionId: string) => Promise<T>): Promise<T> {
  const { server } = loadConfig({ env: process.env, ...(flags.config === undefined ? {} : { configPath: flags.config }) });
  const sessionId = flags.session ?? server.sessionId;
  const config = server.databaseUrl === undefined ? { dataDir: server.dataDir } : { databaseUrl: server.databaseUrl };
  return withDatabase(async (db) => {
    const repo = new SessionRecordsRepository(db);
    if (!(await repo.sessionExists(sessionId))) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no trading session "${sessionId}" in the store (--session, or session.id in the config)`);
    return read(repo, sessionId);
  }, { config, migrate: false });
}

function print(flags: ReadFlags, json: unknown, text: string): void {
  process.stdout.write(flags.json === true ? `${JSON.stringify(json)}\n` : text);
}

type ApiOrder = { createdAt: number; clientOrderId: string; symbol: string; side: string; quantity: number; type: string; tif: string; limitPrice: number | null; stopPrice: number | null; status: string; filledQuantity: number; avgFillPrice: number; strategyId: string | null };

async function ordersCommand(flags: OrdersFlags): Promise<void> {
  const limit = flags.limit === undefined ? 50 : parseNumberOption('--limit', flags.limit, { min: 1, max: 500, integer: true });
  const symbol = flags.symbol?.toUpperCase();
  let rows: OrderRow[];
  if (flags.store === true) {
    const stored = await fromStore(flags, (repo, id) => repo.orders(id, { limit, ...(flags.open === true ? { open: true } : {}), ...(symbol === undefined ? {} : { symbol }) }));
    rows = stored.map((o) => ({ ...o, createdAt: iso(o.createdAt), strategy: o.strategyId }));
  } else {
    const q = new URLSearchParams({ limit: String(limit), ...(flags.open === true ? { open: 'true' } : {}), ...(symbol === undefined ? {} : { symbol }) });
    const page = (await apiCall(apiTarget(flags, process.env), 'GET', `/orders?${q.toString()}`)) as { items: ApiOrder[] };
    rows = page.items.map((o) => ({
      createdAt: iso(o.createdAt), clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity: o.quantity, type: o.type, tif: o.tif,
      limitPrice: o.limitPrice, stopPrice: o.stopPrice, status: o.status, filledQuantity: o.filledQuantity, avgFillPrice: o.avgFillPrice, strategy: o.strategyId,
    }));
  }
  const text = rows.length === 0 ? 'no orders\n' : table(
    ['created', 'client id', 'symbol', 'side', 'qty', 'type', 'tif', 'limit', 'stop', 'status', 'filled', 'avg price', 'strategy'],
    rows.map((o) => [o.createdAt, o.clientOrderId, o.symbol, o.side, String(o.quantity), o.type, o.tif, fmt(o.limitPrice), fmt(o.stopPrice), o.status, String(o.filledQuantity), o.filledQuantity > 0 ? fmt(o.avgFillPrice, 4) : '-', o.strategy ?? 'manual']),
  );
  print(flags, rows, text);
}

async function positionsCommand(flags: ReadFlags): Promise<void> {
  let rows: PositionRow[];
  if (flags.store === true) {
    const stored = await fromStore(flags, (repo, id) => repo.positions(id));
    rows = stored.map((p) => ({ ...p, lastPrice: null, marketValue: null, unrealizedPnl: null }));
  } else {
    const res = (await apiCall(apiTarget(flags, process.env), 'GET', '/positions')) as { items: PositionRow[] };
    rows = res.items.filter((p) => p.quantity !== 0);
  }
  const text = rows.length === 0 ? 'no open positions\n' : table(
    ['symbol', 'qty', 'avg price', 'last', 'market value', 'unrealized', 'realized'],
    rows.map((p) => [p.symbol, String(p.quantity), fmt(p.avgPrice, 4), fmt(p.lastPrice, 4), fmt(p.marketValue), fmt(p.unrealizedPnl), fmt(p.realizedPnl)]),
  );
  print(flags, rows, text);
}

async function accountCommand(flags: ReadFlags): Promise<void> {
  let row: AccountRow;
  if (flags.store === true) {
    const a = await fromStore(flags, (repo, id) => repo.account(id));
    if (a === null) throw new Pi5Error('PI5_ERR_NOT_FOUND', 'the session has stored no account snapshot yet (it has not stepped)');
    row = { asOf: iso(a.ts), cash: a.cash, equity: a.equity, realizedPnl: a.realizedPnl, unrealizedPnl: a.unrealizedPnl, dayPnl: null, openPositions: null };
  } else {
    const p = (await apiCall(apiTarget(flags, process.env), 'GET', '/portfolio')) as { ts: number | null; cash: number; equity: number; realizedPnl: number; unrealizedPnl: number; dayPnl: number; openPositions: number };
    row = { asOf: p.ts === null ? null : iso(p.ts), cash: p.cash, equity: p.equity, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl, dayPnl: p.dayPnl, openPositions: p.openPositions };
  }
  const text = table(['', ''], [
    ['as of', row.asOf ?? '-'], ['equity', fmt(row.equity)], ['cash', fmt(row.cash)], ['day P&L', fmt(row.dayPnl)],
    ['realized P&L', fmt(row.realizedPnl)], ['unrealized P&L', fmt(row.unrealizedPnl)], ['open positions', row.openPositions === null ? '-' : String(row.openPositions)],
  ]).split('\n').slice(1).join('\n');
  print(flags, row, text);
}

interface KillFlags extends ApiFlags {
  reset?: boolean;
  reason?: string;
  stateFile?: string;
  json?: boolean;
}

async function killCommand(flags: KillFlags): Promise<void> {
  if (flags.stateFile !== undefined) {
    killSwitchCommand(flags.reset === true ? 'reset' : 'trip', { stateFile: flags.stateFile, ...(flags.reason === undefined ? {} : { reason: flags.reason }), ...(flags.json === true ? { json: true } : {}) });
    return;
  }
  const t = apiTarget(flags, process.env);
  const body = flags.reason === undefined ? {} : { reason: flags.reason };
  const s = (await apiCall(t, flags.reset === true ? 'DELETE' : 'POST', '/risk/kill-switch', body)) as { tripped: boolean; reason: string; changedBy: string; changedAt: number };
  print(flags, s, s.tripped ? `kill switch: TRIPPED by ${s.changedBy}: ${s.reason}\n` : `kill switch: clear (reset by ${s.changedBy}: ${s.reason})\n`);
}

function readOptions(c: Command): Command {
  return c
    .option('--url <url>', 'the node\'s API (PI5_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'an access token (PI5_TOKEN; POST /api/v1/auth/login)')
    .option('--store', 'read the storage of a stopped node instead (DATABASE_URL, or PGlite in PI5_DATA_DIR)')
    .option('--config <path>', 'with --store: configuration file (default ./pi5.config.yaml when present)')
    .option('--session <id>', 'with --store: the session (default: the config\'s session id)')
    .option('--json', 'print JSON');
}

// One registration per command, so the CLI's start-up table (cli/program.ts) loads each on its own.
export function registerOrders(program: Command): void {
  readOptions(program.command('orders').description('orders of the running session, newest first'))
    .option('--open', 'working orders only')
    .option('--symbol <symbol>', 'one symbol only')
    .option('--limit <n>', 'at most n orders (default 50)')
    .action((f: OrdersFlags) => ordersCommand(f));
}

export function registerPositions(program: Command): void {
  readOptions(program.command('positions').description('open positions of the running session')).action((f: ReadFlags) => positionsCommand(f));
}

export function registerAccount(program: Command): void {
  readOptions(program.command('account').description('cash, equity and P&L of the running session')).action((f: ReadFlags) => accountCommand(f));
}

export function registerKill(program: Command): void {
  program
    .command('kill')
    .description('trip the kill switch of the running node (working orders canceled, only reducing orders accepted); --reset clears it (admins)')
    .option('--reset', 'reset instead of trip')
    .option('--reason <text>', 'why (recorded and audited)')
    .option('--url <url>', 'the node\'s API (PI5_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'an access token (PI5_TOKEN)')
    .option('--state-file <path>', 'act on a stopped node\'s risk state file instead (as pi5 risk kill-switch)')
    .option('--json', 'print the state as JSON')
    .action((f: KillFlags) => killCommand(f));
}

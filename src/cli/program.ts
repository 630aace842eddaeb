// The `pi5` command line: commands, and the mapping of errors to exit codes (0 success, 2 bad usage or
// bad input, 1 any other failure).
// Start-up loads only the chosen command's module (and through it only the dependencies that command
// needs): the top level knows each command by name and summary, so `pi5 --version` and `pi5 --help` load
// no command at all. test/unit/cli/program.test.ts keeps this table equal to what the modules register.

import { Command, CommanderError, Help } from 'commander';
import { exitCodeOf, isPi5Error } from '../core/errors.js';
import { ENGINE_VERSION } from '../engine/version.js';

type Register = (program: Command) => void;

export interface CommandEntry {
  readonly name: string;
  /** How `pi5 --help` lists it: the name with `[options]` / arguments, as commander would print it. */
  readonly term: string;
  readonly summary: string;
  /** The registrations the command needs, in order (a later one may extend an earlier one's command). */
  readonly load: () => Promise<readonly Register[]>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'backtest',
    term: 'backtest [options]',
    summary: 'run a strategy over historical bars and report trades and metrics',
    load: async () => [(await import('./commands/backtest.js')).registerBacktest],
  },
  {
    name: 'optimize',
    term: 'optimize [options]',
    summary: "search a strategy's parameters for the best objective; every trial is a full backtest",
    load: async () => [(await import('./commands/optimize.js')).registerOptimize],
  },
  {
    name: 'montecarlo',
    term: 'montecarlo [options]',
    summary: 'Monte Carlo robustness of a backtest: return and drawdown distributions, probabilities of profit, target and ruin',
    load: async () => [(await import('./commands/montecarlo.js')).registerMonteCarlo],
  },
  {
    name: 'worker',
    term: 'worker [options]',
    summary: 'run trials of distributed optimizations (pi5 optimize --distributed) from a Redis queue, on this machine',
    load: async () => [(await import('./commands/worker.js')).registerWorker],
  },
  {
    name: 'strategies',
    term: 'strategies [options]',
    summary: 'list the built-in strategies and their parameters',
    load: async () => [(await import('./commands/strategies.js')).registerStrategies],
  },
  {
    name: 'demo',
    term: 'demo [options]',
    summary: 'generate seeded sample data, backtest an SMA crossover on it, and write a report',
    load: async () => [(await import('./commands/demo.js')).registerDemo],
  },
  { name: 'init', term: 'init', summary: 'scaffold a project folder', load: async () => [(await import('./commands/init.js')).registerInit] },
  { name: 'risk', term: 'risk', summary: 'risk controls', load: async () => [(await import('./commands/risk.js')).registerRisk] },
  {
    name: 'data',
    term: 'data',
    summary: 'market data in the store (DATABASE_URL, or PGlite in PI5_DATA_DIR)',
    load: async () => {
      const [data, stream] = await Promise.all([import('./commands/data.js'), import('./commands/stream.js')]);
      return [data.registerData, stream.registerDataStream];
    },
  },
  {
    name: 'db',
    term: 'db',
    summary: 'database schema, backups and retention: migrate, status, backup, restore, retention',
    load: async () => [(await import('./commands/db.js')).registerDb],
  },
  {
    name: 'serve',
    term: 'serve [options]',
    summary: 'start the API server and its paper-trading session (http://127.0.0.1:8080 by default)',
    load: async () => [(await import('./commands/serve.js')).registerServe],
  },
  {
    name: 'trade',
    term: 'trade [options]',
    summary: 'run a trading node at the configured venue (pi5.config.yaml `broker`), without HTTP unless --http',
    load: async () => [(await import('./commands/trade.js')).registerTrade],
  },
  {
    name: 'config',
    term: 'config',
    summary: 'the configuration file (pi5.config.yaml)',
    load: async () => [(await import('./commands/config.js')).registerConfig],
  },
  {
    name: 'user',
    term: 'user',
    summary: 'API users: add, list, passwd, disable, enable',
    load: async () => [(await import('./commands/user.js')).registerUser],
  },
  {
    name: 'doctor',
    term: 'doctor [options]',
    summary: 'check this installation (Node, config, database, migrations, TimescaleDB, Redis, disk, clock, backups) and say what to fix',
    load: async () => [(await import('./commands/doctor.js')).registerDoctor],
  },
  { name: 'notify', term: 'notify', summary: 'notification channels (docs/notifications.md)', load: async () => [(await import('./commands/notify.js')).registerNotify] },
  { name: 'orders', term: 'orders [options]', summary: 'orders of the running session, newest first', load: async () => [(await import('./commands/operator.js')).registerOrders] },
  { name: 'positions', term: 'positions [options]', summary: 'open positions of the running session', load: async () => [(await import('./commands/operator.js')).registerPositions] },
  { name: 'account', term: 'account [options]', summary: 'cash, equity and P&L of the running session', load: async () => [(await import('./commands/operator.js')).registerAccount] },
  {
    name: 'kill',
    term: 'kill [options]',
    summary: 'trip the kill switch of the running node (working orders canceled, only reducing orders accepted); --reset clears it (admins)',
    load: async () => [(await import('./commands/operator.js')).registerKill],
  },
];

function baseProgram(): Command {
  return new Command()
    .name('pi5')
    .description('pi5-trading: event-driven backtesting and trading engine')
    .version(ENGINE_VERSION)
    .exitOverride()
    .showHelpAfterError();
}

/** The program with the given commands fully registered (their options, subcommands and actions). */
export async function buildProgram(entries: readonly CommandEntry[] = COMMANDS): Promise<Command> {
  const program = baseProgram();
  const loaded = await Promise.all(entries.map((e) => e.load()));
  for (const registers of loaded) for (const register of registers) register(program);
  return program;
}

/** Every command as a stub that only names it: enough for `--help`, `--version` and unknown commands. */
export function stubProgram(): Command {
  const program = baseProgram();
  const terms = new Map(COMMANDS.map((e) => [e.name, e.term]));
  for (const e of COMMANDS) program.command(e.name).description(e.summary);
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd: Command): string => terms.get(cmd.name()) ?? help.subcommandTerm(cmd) });
  return program;
}

/** The command the arguments choose (`pi5 help <command>` included), if it is one of ours. */
function chosenCommand(argv: readonly string[]): CommandEntry | undefined {
  const words = argv[0] === 'help' ? argv.slice(1) : argv;
  const first = words.find((a) => !a.startsWith('-'));
  return words[0] === first ? COMMANDS.find((e) => e.name === first) : undefined;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const chosen = chosenCommand(argv);
    const program = chosen === undefined ? stubProgram() : await buildProgram([chosen]);
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is bad usage.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isPi5Error(e)) {
      process.stderr.write(`error [${e.code}]: ${e.message}\n`);
      return exitCodeOf(e);
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

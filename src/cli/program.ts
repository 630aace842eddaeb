// The `pi5` command line: commands, and the mapping of errors to exit codes (0 success, 2 bad usage or
// bad input, 1 any other failure).

import { Command, CommanderError } from 'commander';
import { exitCodeOf, isPi5Error } from '../core/errors.js';
import { ENGINE_VERSION } from '../engine/backtestRunner.js';
import { registerBacktest } from './commands/backtest.js';
import { registerConfig } from './commands/config.js';
import { registerData } from './commands/data.js';
import { registerDb } from './commands/db.js';
import { registerDataStream } from './commands/stream.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerOptimize } from './commands/optimize.js';
import { registerInit } from './commands/init.js';
import { registerRisk } from './commands/risk.js';
import { registerServe } from './commands/serve.js';
import { registerStrategies } from './commands/strategies.js';
import { registerTrade } from './commands/trade.js';
import { registerUser } from './commands/user.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('pi5')
    .description('pi5-trading: event-driven backtesting and trading engine')
    .version(ENGINE_VERSION)
    .exitOverride()
    .showHelpAfterError();
  registerBacktest(program);
  registerOptimize(program);
  registerStrategies(program);
  registerDemo(program);
  registerInit(program);
  registerRisk(program);
  registerData(program);
  registerDataStream(program);
  registerDb(program);
  registerServe(program);
  registerTrade(program);
  registerConfig(program);
  registerUser(program);
  registerDoctor(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[], { from: 'user' });
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


// `pi5 worker`: serves distributed optimizations (`pi5 optimize --distributed`) from any machine that reaches
// their Redis, until SIGINT/SIGTERM; a trial in progress is finished before it stops.

import type { Command } from 'commander';
import { startTrialWorker } from '../../optimize/distributed/trialWorker.js';
import { parseNumberOption } from '../options.js';
import { addQueueFlags, queueAddressOf, type QueueFlags } from '../queueFlags.js';

interface WorkerFlags extends QueueFlags {
  concurrency: string;
  lock: string;
  quiet?: boolean;
}

export function registerWorker(program: Command): void {
  const cmd = program
    .command('worker')
    .description('run trials of distributed optimizations (pi5 optimize --distributed) from a Redis queue, on this machine');
  addQueueFlags(cmd)
    .option('--concurrency <n>', 'trials run at once, each on its own thread', '1')
    .option('--lock <seconds>', "a trial's lock; if this worker dies, its trials go to another worker after about this long", '30')
    .option('--quiet', 'print nothing but errors')
    .action((f: WorkerFlags) => workerCommand(f));
}

async function workerCommand(f: WorkerFlags): Promise<void> {
  const address = await queueAddressOf(f);
  const concurrency = parseNumberOption('--concurrency', f.concurrency, { min: 1, max: 256, integer: true });
  const lockMs = Math.round(parseNumberOption('--lock', f.lock, { min: 1, max: 3600 }) * 1000);
  const say = (line: string): void => {
    if (!f.quiet) process.stderr.write(`worker: ${line}\n`);
  };
  const worker = await startTrialWorker({ ...address, concurrency, lockMs, log: say });
  say(`serving queue ${address.prefix} at ${address.shown} with ${concurrency} thread(s)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('stopping after the trials in progress');
  await worker.close();
  say(`stopped; ran ${worker.ran()} trial(s) and ${worker.replayed()} diagnostics replay(s)`);
}

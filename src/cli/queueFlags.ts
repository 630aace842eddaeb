// Where `pi5 optimize --distributed` and `pi5 worker` meet: the Redis URL and the queue's key prefix, as
// flags shared by both commands so a worker started with the same two values serves the coordinator.

import type { Command } from 'commander';
import { Pi5Error } from '../core/errors.js';
import type { QueueAddress } from '../optimize/distributed/queue.js';

export interface QueueFlags {
  redis?: string;
  queuePrefix: string;
}

export function addQueueFlags(cmd: Command): Command {
  return cmd
    .option('--redis <url>', 'Redis holding the trial queue (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--queue-prefix <name>', 'key prefix of the queue, its data sets and results (runs under another prefix are separate)', 'pi5');
}

/** Async because the URL masker lives with the server config (zod schemas): a local optimize loads none of it. */
export async function queueAddressOf(f: QueueFlags): Promise<QueueAddress> {
  const { maskUrl } = await import('../config/serverConfig.js');
  const redisUrl = f.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--redis: ${maskUrl(redisUrl) ?? ''} is not a redis:// or rediss:// URL`);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(f.queuePrefix)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--queue-prefix: ${JSON.stringify(f.queuePrefix)} is not 1–64 letters, digits, '_', '.' or '-'`);
  return { redisUrl, shown: maskUrl(redisUrl) ?? '', prefix: f.queuePrefix };
}

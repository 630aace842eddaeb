// Lua scripts that make multi-step cache updates atomic in Redis, run by SHA with a fallback to the source
// when the server does not know the script yet (first use, or after a restart flushed the script cache).

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function lua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Fixed-window hit. KEYS[1] counter; ARGV limit, windowMs. The window starts at its first hit (the counter's
 * PX expiry); a hit over the limit is refused and not counted. Returns {allowed 0|1, count, msUntilReset}.
 */
export const HIT_SCRIPT = lua(`
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('SET', KEYS[1], 1, 'PX', window)
  return {1, 1, window}
end
local n = tonumber(redis.call('GET', KEYS[1]))
if n >= limit then return {0, n, ttl} end
n = redis.call('INCR', KEYS[1])
return {1, n, ttl}
`);

/**
 * Latest quote. KEYS[1] hash symbol → quote JSON, KEYS[2] hash symbol → ts; ARGV symbol, json, ts.
 * Keeps the stored quote when it is newer, so a late, out-of-order update cannot replace it.
 */
export const QUOTE_SCRIPT = lua(`
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old and tonumber(old) > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
`);

export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}

// The cache on Redis (ioredis), shared by every process of a deployment. Keys and channels live under a
// prefix (default `pi5:`). While Redis is unreachable it degrades instead of throwing: see docs/cache.md.

import type { Redis } from 'ioredis';
import { WallClock, type Clock } from '../core/clock.js';
import { Pi5Error } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import type { Quote } from '../model/types.js';
import { CacheBase, checkLimit, checkTtl } from './cacheBase.js';
import { FixedWindowLimiter } from './fixedWindowLimiter.js';
import { LocalPubSub } from './localPubSub.js';
import { decodeQuote, encodeQuote } from './quoteCodec.js';
import { RedisLink, type RedisLinkOptions } from './redisLink.js';
import { HIT_SCRIPT, QUOTE_SCRIPT, runScript } from './redisScripts.js';
import { checkRedisUrl } from './redisUrl.js';
import type { CacheHealth, MessageHandler, RateLimitResult, Unsubscribe } from './types.js';

export const DEFAULT_PREFIX = 'pi5:';

export interface RedisCacheOptions extends Omit<RedisLinkOptions, 'log' | 'resubscribe'> {
  /** Prepended to every key and channel; default `pi5:`. */
  prefix?: string;
  /** Time source of the fallback rate limiter used during outages. */
  clock?: Clock;
  log?: Logger;
}

export class RedisCache extends CacheBase {
  private readonly link: RedisLink;
  private readonly prefix: string;
  private readonly channelPrefix: string;
  private readonly pubsub: LocalPubSub;
  private readonly fallbackLimiter: FixedWindowLimiter;
  private readonly subscribing = new Map<string, Promise<void>>();

  /** Does not connect; call connect() (or use openCache, which does). */
  constructor(opts: RedisCacheOptions) {
    checkRedisUrl(opts.url);
    const log = (opts.log ?? createLogger()).child({ component: 'cache', backend: 'redis' });
    super(log);
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    if (this.prefix === '') throw new Pi5Error('PI5_ERR_BAD_CACHE_ARG', 'the Redis key prefix must not be empty');
    this.channelPrefix = `${this.prefix}ch:`;
    this.pubsub = new LocalPubSub(log);
    this.fallbackLimiter = new FixedWindowLimiter(opts.clock ?? new WallClock());
    this.link = new RedisLink({ ...opts, log, resubscribe: (sub) => this.resubscribe(sub) });
    this.link.sub.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.channelPrefix)) this.pubsub.deliver(channel.slice(this.channelPrefix.length), message);
    });
  }

  /** Connects; resolves true when up within timeoutMs, false otherwise (the cache runs degraded meanwhile). */
  connect(timeoutMs = 2000): Promise<boolean> {
    return this.link.connect(timeoutMs);
  }

  /** Resolves true as soon as Redis is up with subscriptions restored, false after timeoutMs. */
  whenUp(timeoutMs: number): Promise<boolean> {
    return this.link.whenUp(timeoutMs);
  }

  /** The prefix every key and channel of this cache lives under. */
  keyPrefix(): string {
    return this.prefix;
  }

  async get(key: string): Promise<string | undefined> {
    return this.run('get', undefined, async () => (await this.link.main.get(this.kv(key))) ?? undefined);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    checkTtl(ttlMs);
    await this.run('set', undefined, async () => {
      if (ttlMs === undefined) await this.link.main.set(this.kv(key), value);
      else await this.link.main.set(this.kv(key), value, 'PX', Math.ceil(ttlMs));
    });
  }

  async del(key: string): Promise<void> {
    await this.run('del', undefined, async () => {
      await this.link.main.del(this.kv(key));
    });
  }

  async setQuote(quote: Quote): Promise<void> {
    await this.run('setQuote', undefined, async () => {
      const keys = [`${this.prefix}quote`, `${this.prefix}quote:ts`];
      await runScript(this.link.main, QUOTE_SCRIPT, keys, [quote.symbol, encodeQuote(quote), quote.ts]);
    });
  }

  async getQuote(symbol: string): Promise<Quote | undefined> {
    return this.run('getQuote', undefined, async () => {
      const text = await this.link.main.hget(`${this.prefix}quote`, symbol);
      return text === null ? undefined : decodeQuote(text);
    });
  }

  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const out = new Map<string, Quote>();
    if (symbols.length === 0) return out;
    return this.run('getQuotes', out, async () => {
      const texts = await this.link.main.hmget(`${this.prefix}quote`, ...symbols);
      texts.forEach((text, i) => {
        const q = text === null ? undefined : decodeQuote(text);
        const symbol = symbols[i];
        if (q && symbol !== undefined) out.set(symbol, q);
      });
      return out;
    });
  }

  /**
   * Published through Redis when it is up. Local subscribers get the message exactly once: through Redis
   * when the subscriber connection is up, directly otherwise (or when the publish fails).
   */
  async publish(channel: string, message: string): Promise<void> {
    if (this.link.isClosed()) return;
    const viaRedis = this.link.subReady();
    const sent = await this.run('publish', false, async () => {
      await this.link.main.publish(this.channelPrefix + channel, message);
      return true;
    });
    if (!sent || !viaRedis) this.pubsub.deliver(channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    if (this.link.isClosed()) return async () => undefined;
    const first = this.pubsub.add(channel, handler);
    // While the subscriber is down the channel is subscribed on reconnect, from the registry. A second
    // handler waits for the first one's SUBSCRIBE, so it too resolves only once delivery works.
    if (first && this.link.subReady()) {
      const pending = this.link.sub
        .subscribe(this.channelPrefix + channel)
        .then(() => undefined, (e: unknown) => this.link.failed('subscribe', e))
        .finally(() => this.subscribing.delete(channel));
      this.subscribing.set(channel, pending);
    }
    await this.subscribing.get(channel);
    return async () => {
      const last = this.pubsub.remove(channel, handler);
      if (last && this.link.subReady()) {
        await this.link.sub.unsubscribe(this.channelPrefix + channel).catch((e: unknown) => this.link.failed('unsubscribe', e));
      }
    };
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    checkLimit(limit, windowMs);
    const fallback = (): RateLimitResult => this.fallbackLimiter.hit(key, limit, windowMs);
    if (!this.link.mainReady()) return fallback();
    try {
      const reply = await runScript(this.link.main, HIT_SCRIPT, [`${this.prefix}rl:${key}`], [limit, windowMs]);
      return toRateLimitResult(reply, limit);
    } catch (e) {
      this.link.failed('hit', e);
      return fallback();
    }
  }

  health(): CacheHealth {
    if (this.link.isClosed()) return 'down';
    return this.link.isUp() ? 'up' : 'degraded';
  }

  async close(): Promise<void> {
    this.pubsub.clear();
    await this.link.close();
  }

  private kv(key: string): string {
    return `${this.prefix}kv:${key}`;
  }

  /** Runs a command when Redis is up; answers fallback when it is not or the command fails. */
  private async run<T>(op: string, fallback: T, command: () => Promise<T>): Promise<T> {
    if (!this.link.mainReady()) return fallback;
    try {
      return await command();
    } catch (e) {
      this.link.failed(op, e);
      return fallback;
    }
  }

  private async resubscribe(sub: Redis): Promise<void> {
    const channels = this.pubsub.channels().map((c) => this.channelPrefix + c);
    if (channels.length > 0) await sub.subscribe(...channels);
  }
}

function toRateLimitResult(reply: unknown, limit: number): RateLimitResult {
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((x) => typeof x === 'number')) {
    throw new Pi5Error('PI5_ERR_INTERNAL', `rate-limit script returned ${JSON.stringify(reply)}`);
  }
  const [allowed, count, resetMs] = reply as [number, number, number];
  return { allowed: allowed === 1, remaining: allowed === 1 ? Math.max(0, limit - count) : 0, resetMs };
}

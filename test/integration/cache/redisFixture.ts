// Helpers for Redis cache tests: a unique key prefix per test, and deletion of every key under it.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const uniquePrefix = (): string => `pi5test:${randomBytes(5).toString('hex')}:`;

/** Deletes every key under prefix in db (SCAN, not KEYS, so a shared server is not blocked). */
export async function deleteKeys(url: string, prefix: string, db?: number): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, ...(db === undefined ? {} : { db }) });
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await r.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    r.disconnect();
  }
}

/** Every key under prefix in db, sorted. */
export async function keysUnder(url: string, prefix: string, db?: number): Promise<string[]> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, ...(db === undefined ? {} : { db }) });
  try {
    return (await r.keys(`${prefix}*`)).sort();
  } finally {
    r.disconnect();
  }
}

/**
 * Lets `ms` pass for every key under prefix, as Redis sees time: each expiry moves `ms` closer (keys whose
 * time is up are deleted). Expiries are all the cache's time-dependent state (TTLs, rate-limit windows), so a
 * test can use long windows and still see them end, however slowly the machine runs meanwhile.
 */
export async function elapseKeys(url: string, prefix: string, ms: number, db?: number): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, ...(db === undefined ? {} : { db }) });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const ttl = await r.pttl(key);
        if (ttl < 0) continue; // no expiry (or already gone)
        if (ttl <= ms) await r.del(key);
        else await r.pexpire(key, ttl - ms);
      }
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

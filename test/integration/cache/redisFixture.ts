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

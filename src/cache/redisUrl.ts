// REDIS_URL handling: parse once, and a masked form for logs, since the URL may carry a password.

import { Pi5Error } from '../core/errors.js';

/** The URL with any password replaced by `***`, safe to log; unparsable input is not echoed at all. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparsable REDIS_URL]';
  }
}

/** Checks that url is a redis:// or rediss:// URL; the message shows the masked form only. */
export function checkRedisUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', 'REDIS_URL is not a URL (expected redis://[user:pass@]host:port[/db])');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `REDIS_URL ${maskRedisUrl(url)} must start with redis:// or rediss://`);
  }
}

// HTTP GET of a provider's JSON with a timeout and retries with jittered exponential backoff on 429, 5xx,
// timeouts and network errors. Jitter comes from a seeded RNG (runs stay reproducible) and spreads the
// retries of many symbols so they do not hit a throttled service in lock step.

import { Pi5Error } from '../../core/errors.js';
import { SeededRng } from '../../core/rng.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubles each time, times a jitter factor in [0.5, 1.5). */
  readonly baseDelayMs: number;
  /** Cap on one delay, also on a server's Retry-After. */
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, timeoutMs: 15_000 };

export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly json: unknown;
  readonly text: string;
}

export interface GetJsonOptions {
  /** Who asks, for messages: 'yahoo NVDA'. */
  readonly label: string;
  readonly policy?: RetryPolicy;
  readonly headers?: Record<string, string>;
  /** Seed of the jitter; the same seed gives the same delays. */
  readonly seed?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Awaited before every attempt, retries included: a shared rate limiter's slot (each attempt costs one). */
  readonly beforeAttempt?: () => Promise<void>;
  /** The URL as shown in messages and details, when the real one carries a secret (an API key). */
  readonly displayUrl?: string;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Seconds form of Retry-After only; the HTTP-date form is rare from data APIs and falls back to backoff. */
function retryAfterMs(h: string | null): number | undefined {
  if (h === null || !/^\d+$/.test(h.trim())) return undefined;
  return Number(h.trim()) * 1000;
}

async function attempt(url: string, o: GetJsonOptions, timeoutMs: number): Promise<{ res?: HttpResponse; retryAfter?: number; failure: string }> {
  try {
    const r = await fetch(url, { headers: o.headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { res: { status: r.status, json, text }, retryAfter: retryAfterMs(r.headers.get('retry-after')), failure: `HTTP ${r.status}` };
  } catch (e) {
    const err = e as Error;
    const failure = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${err.message}`;
    return { failure };
  }
}

/**
 * GETs `url`. Returns the first answer that is not 429/5xx (the caller judges 4xx bodies, which often carry
 * the provider's own error); throws PI5_ERR_PROVIDER once every attempt failed.
 */
export async function getJson(url: string, o: GetJsonOptions): Promise<HttpResponse> {
  const policy = o.policy ?? DEFAULT_RETRY;
  const rng = new SeededRng(o.seed ?? 1);
  const sleep = o.sleep ?? defaultSleep;
  let failure = '';
  for (let n = 1; n <= policy.maxAttempts; n++) {
    if (o.beforeAttempt !== undefined) await o.beforeAttempt();
    const a = await attempt(url, o, policy.timeoutMs);
    if (a.res !== undefined && !retryable(a.res.status)) return a.res;
    failure = a.failure;
    if (n === policy.maxAttempts) break;
    const backoff = policy.baseDelayMs * 2 ** (n - 1) * (0.5 + rng.next());
    await sleep(Math.min(policy.maxDelayMs, a.retryAfter ?? backoff));
  }
  const shown = o.displayUrl ?? url;
  throw new Pi5Error('PI5_ERR_PROVIDER', `${o.label}: ${failure} after ${policy.maxAttempts} attempts (${shown})`, { url: shown, attempts: policy.maxAttempts });
}

/** A stable 32-bit seed from text (FNV-1a), so each symbol gets its own jitter sequence. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

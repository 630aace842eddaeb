// How operator commands reach a running node: its HTTP API at --url (PI5_URL, default http://127.0.0.1:8080)
// with an access token from --token (PI5_TOKEN). The API's coded errors come back as ours, exit codes included.

import { ERROR_CODES, Pi5Error, type ErrorCode } from '../core/errors.js';

export interface ApiTarget {
  readonly url: string;
  readonly token: string;
}

export interface ApiFlags {
  url?: string;
  token?: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export function apiTarget(flags: ApiFlags, env: NodeJS.ProcessEnv): ApiTarget {
  const url = (flags.url ?? env.PI5_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(url)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--url ${JSON.stringify(url)}: expected http(s)://host[:port]`);
  const token = flags.token ?? env.PI5_TOKEN;
  if (token === undefined || token === '') {
    throw new Pi5Error('PI5_ERR_UNAUTHENTICATED', 'give --token or PI5_TOKEN (an access token: POST /api/v1/auth/login), or --store to read the storage of a stopped node');
  }
  return { url, token };
}

/** One API call; resolves the parsed JSON body, rejects with the API's coded error. */
export async function apiCall(t: ApiTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${t.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    const why = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new Pi5Error('PI5_ERR_IO', `cannot reach the node at ${t.url}: ${why} (is pi5 serve running? --url, PI5_URL)`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported below when the status is an error
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const code = err?.code !== undefined && err.code in ERROR_CODES ? (err.code as ErrorCode) : 'PI5_ERR_INTERNAL';
    throw new Pi5Error(code, `${method} ${path}: ${err?.message ?? `HTTP ${res.status}`}`);
  }
  return json;
}

// The REST client: bearer tokens kept in sessionStorage, one silent refresh in flight at a time when an access
// token expires, and when the refresh token is spent too, a re-login asked of the user (the page stays mounted,
// so what they typed survives) after which the request is retried. Errors carry the API's code and plain words.

import { apiErrorInWords } from './words.js';

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown = null) {
    super(message);
  }
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

interface Store {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

const KEY = 'pi5.tokens';

export class ApiClient {
  private tokens: Tokens | null;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<(t: Tokens | null) => void>();
  /** Asks the user to sign in again; resolves once they have. Set by the app shell. */
  reauthenticate: (() => Promise<void>) | null = null;

  constructor(private readonly fetchFn: Fetch, private readonly store: Store, private readonly base = '/api/v1') {
    const saved = store.getItem(KEY);
    this.tokens = saved ? (JSON.parse(saved) as Tokens) : null;
  }

  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  onTokens(fn: (t: Tokens | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setTokens(t: Tokens | null): void {
    this.tokens = t;
    if (t) this.store.setItem(KEY, JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken }));
    else this.store.removeItem(KEY);
    for (const fn of this.listeners) fn(t);
  }

  async login(username: string, password: string): Promise<Tokens> {
    const t = await this.call<Tokens>('POST', '/auth/login', { username, password }, false);
    this.setTokens(t);
    return t;
  }

  async logout(): Promise<void> {
    const t = this.tokens;
    this.setTokens(null);
    if (t) await this.call('POST', '/auth/logout', { refreshToken: t.refreshToken }, false).catch(() => undefined);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** A request with the access token; on 401 refreshes once (shared by concurrent callers), then asks for a re-login. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await this.call<T>(method, path, body, true);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || path.startsWith('/auth/login')) throw e;
      if (!(await this.refresh())) {
        if (!this.reauthenticate) throw e;
        await this.reauthenticate();
      }
      return this.call<T>(method, path, body, true);
    }
  }

  /** Swaps the refresh token for a new pair; false when there is none or it was refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const t = this.tokens;
    if (!t) return false;
    try {
      this.setTokens(await this.call<Tokens>('POST', '/auth/refresh', { refreshToken: t.refreshToken }, false));
      return true;
    } catch {
      return false;
    }
  }

  private async call<T>(method: string, path: string, body: unknown, withToken: boolean): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (withToken && this.tokens) headers.authorization = `Bearer ${this.tokens.accessToken}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    let r: Response;
    try {
      r = await this.fetchFn(this.base + path, init);
    } catch {
      throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check that it is running.');
    }
    const text = await r.text();
    const parsed: unknown = text ? safeJson(text) : null;
    if (!r.ok) {
      const err = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      const code = err?.code ?? `HTTP_${r.status}`;
      throw new ApiError(r.status, code, apiErrorInWords(code, err?.message ?? r.statusText), err?.details ?? null);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// The dashboard's API client against a fake server speaking the API's wire format: one refresh shared by
// concurrent 401s, a re-login asked only when the refresh token is spent too, errors in plain words.

import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../../web/src/api.js';

function memoryStore() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server: access tokens `a<n>` valid when n >= `minValid`, refresh tokens `r<n>` usable once when n is the newest. */
function fakeServer() {
  const state = { minValid: 1, newest: 1, refreshCalls: 0, loginCalls: 0 };
  const fetchFn = async (url: string, init: RequestInit): Promise<Response> => {
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    const auth = (init.headers as Record<string, string>).authorization ?? '';
    if (url.endsWith('/auth/login')) {
      state.loginCalls++;
      if (body.password !== 'right') return json(401, { error: { code: 'PI5_ERR_UNAUTHENTICATED', message: 'wrong username or password' } });
      state.newest++;
      state.minValid = state.newest;
      return json(200, { accessToken: `a${state.newest}`, refreshToken: `r${state.newest}`, expiresIn: 900 });
    }
    if (url.endsWith('/auth/refresh')) {
      state.refreshCalls++;
      if (body.refreshToken !== `r${state.newest}`) return json(401, { error: { code: 'PI5_ERR_UNAUTHENTICATED', message: 'refresh token reused' } });
      state.newest++;
      state.minValid = state.newest;
      return json(200, { accessToken: `a${state.newest}`, refreshToken: `r${state.newest}`, expiresIn: 900 });
    }
    const n = Number(auth.replace('Bearer a', ''));
    if (!(n >= state.minValid)) return json(401, { error: { code: 'PI5_ERR_UNAUTHENTICATED', message: 'token expired' } });
    if (url.endsWith('/orders')) return json(200, { rejectReason: null, path: url });
    if (url.endsWith('/users')) return json(403, { error: { code: 'PI5_ERR_FORBIDDEN', message: '' } });
    return json(404, { error: { code: 'PI5_ERR_NOT_FOUND', message: 'no route GET /x' } });
  };
  return { state, fetchFn };
}

describe('dashboard API client', () => {
  it('refreshes once for concurrent expired requests and retries them', async () => {
    const srv = fakeServer();
    const store = memoryStore();
    const api = new ApiClient(srv.fetchFn, store);
    await api.login('u', 'right');
    srv.state.minValid = 99; // every access token expired; the refresh token still good
    const results = await Promise.all([api.get('/orders'), api.get('/orders'), api.get('/orders')]);
    expect(results).toHaveLength(3);
    expect(srv.state.refreshCalls).toBe(1);
    expect(JSON.parse(store.m.get('pi5.tokens') ?? '{}').accessToken).toBe(api.accessToken);
  });

  it('asks for a re-login when the refresh is refused, then retries the request', async () => {
    const srv = fakeServer();
    const api = new ApiClient(srv.fetchFn, memoryStore());
    await api.login('u', 'right');
    srv.state.minValid = 99;
    srv.state.newest = 50; // the stored refresh token is no longer the newest: refused
    let asked = 0;
    api.reauthenticate = async () => {
      asked++;
      await api.login('u', 'right');
    };
    await expect(api.get('/orders')).resolves.toMatchObject({ path: '/api/v1/orders' });
    expect(asked).toBe(1);
  });

  it('without a re-login handler the 401 surfaces; other errors carry code and plain words', async () => {
    const srv = fakeServer();
    const api = new ApiClient(srv.fetchFn, memoryStore());
    await expect(api.login('u', 'wrong')).rejects.toMatchObject({ status: 401, code: 'PI5_ERR_UNAUTHENTICATED' });
    await api.login('u', 'right');
    const forbidden = await api.get('/users').catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(ApiError);
    expect((forbidden as ApiError).message).toBe('Your role does not allow this.');
    srv.state.minValid = 99;
    srv.state.newest = 50;
    await expect(api.get('/orders')).rejects.toMatchObject({ status: 401 });
  });

  it('signing out forgets the tokens', async () => {
    const srv = fakeServer();
    const store = memoryStore();
    const api = new ApiClient(srv.fetchFn, store);
    await api.login('u', 'right');
    await api.logout();
    expect(api.accessToken).toBeNull();
    expect(store.m.size).toBe(0);
  });
});

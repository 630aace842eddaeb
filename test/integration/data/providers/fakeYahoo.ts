// A local stand-in for query1.finance.yahoo.com: node:http on 127.0.0.1 and a random port, answering
// /v8/finance/chart/{symbol} (bars, and `range=1d` for the polled quotes) through a handler the test swaps,
// and recording every request. /v7/finance/quote answers as Yahoo does without a cookie and crumb: 401.

import { startFakeJsonServer, type FakeReply, type FakeServer } from './fakeJsonServer.js';

export type { FakeReply } from './fakeJsonServer.js';

export interface ChartRequest {
  readonly symbol: string;
  readonly params: URLSearchParams;
}

export type FakeHandler = (req: ChartRequest, n: number) => FakeReply;
export type FakeYahoo = FakeServer<ChartRequest>;

const NO_CRUMB: FakeReply = { status: 401, body: { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } } };

export function startFakeYahoo(): Promise<FakeYahoo> {
  return startFakeJsonServer<ChartRequest>({
    fixed: (url) => (url.pathname === '/v7/finance/quote' ? NO_CRUMB : undefined),
    route: (url) => {
      const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
      return m === null ? null : { symbol: decodeURIComponent(m[1] as string), params: url.searchParams };
    },
  });
}

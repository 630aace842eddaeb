// Every historical provider passes the provider contract (test/contracts/providerContract.ts) through its real
// HTTP client against its local fake, which answers in the service's own wire format: Yahoo's chart payload
// (session-open stamps, float32 prices), Alpha Vantage's newest-first string table, Alpaca's paged bars with
// New York midnight stamps. Retry waits are recorded, not slept.

import { AlpacaProvider } from '../../../../src/data/providers/alpaca/provider.js';
import { AlphaVantageProvider } from '../../../../src/data/providers/alphavantage/provider.js';
import { YahooProvider } from '../../../../src/data/providers/yahoo/provider.js';
import { providerContract, type ContractBar } from '../../../contracts/providerContract.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca } from './fakeAlpaca.js';
import { bar, dailyPayload, ERROR_MESSAGE, startFakeAlphaVantage } from './fakeAlphaVantage.js';
import { startFakeYahoo } from './fakeYahoo.js';
import { chartError, chartPayload, sessionOpen } from './yahooFixture.js';

const NOW = Date.UTC(2024, 11, 31);
const POLICY = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const noSleep = async (): Promise<void> => undefined;
const GARBLED = { body: { unexpected: true } };

providerContract('yahoo', async () => {
  const fake = await startFakeYahoo();
  const provider = new YahooProvider({ baseUrl: fake.baseUrl, now: () => NOW, policy: POLICY, sleep: noSleep });
  return {
    provider,
    serve(symbol: string, bars: readonly ContractBar[]) {
      fake.handle((r) => {
        if (r.symbol !== symbol) return { status: 404, body: chartError('Not Found', 'No data found, symbol may be delisted') };
        // The monthly look-ahead for later splits: none.
        if (r.params.get('interval') === '1mo') return { body: chartPayload({ symbol, bars: [] }) };
        // Yahoo answers the sessions whose open falls in [period1, period2).
        const [p1, p2] = [Number(r.params.get('period1')), Number(r.params.get('period2'))];
        const inRange = bars.filter((b) => sessionOpen(b.date, 'America/New_York') >= p1 && sessionOpen(b.date, 'America/New_York') < p2);
        return { body: chartPayload({ symbol, bars: inRange.map((b) => ({ at: b.date, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })) }) };
      });
    },
    failWith(status: number) {
      fake.handle(() => ({ status, body: '<html><body>Service Unavailable</body></html>' }));
    },
    garble() {
      fake.handle(() => GARBLED);
    },
    close: () => fake.close(),
  };
});

providerContract('alphavantage', async () => {
  const fake = await startFakeAlphaVantage();
  const provider = new AlphaVantageProvider({ apiKey: 'test-key', baseUrl: fake.baseUrl, adjusted: false, now: () => NOW, policy: POLICY, sleep: noSleep, throttleWaitMs: 1 });
  const four = (n: number): string => n.toFixed(4);
  return {
    provider,
    serve(symbol: string, bars: readonly ContractBar[]) {
      // Alpha Vantage sends the whole history (outputsize=full) whatever the range; an unknown symbol is an "Error Message".
      const table = bars.map((b) => bar(b.date, four(b.open), four(b.high), four(b.low), four(b.close), String(b.volume)));
      fake.handle((r) => (r.params.get('symbol') === symbol ? { body: dailyPayload(symbol, table, false) } : { body: ERROR_MESSAGE }));
    },
    failWith(status: number) {
      fake.handle(() => ({ status, body: 'Service Unavailable' }));
    },
    garble() {
      fake.handle(() => GARBLED);
    },
    close: () => fake.close(),
  };
});

providerContract('alpaca', async () => {
  const fake = await startFakeAlpaca();
  const provider = new AlpacaProvider({ baseUrl: fake.baseUrl, credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET }, now: () => NOW, policy: POLICY, sleep: noSleep });
  return {
    provider,
    serve(symbol: string, bars: readonly ContractBar[]) {
      // Daily bars are stamped at New York midnight (05:00 UTC in January), two per page to exercise paging.
      const wire = bars.map((b) => ({ t: `${b.date}T05:00:00Z`, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume }));
      const known = barsFrom({ [symbol]: wire }, 2);
      fake.handleBars((r, n) => (r.symbol === symbol ? known(r, n) : { status: 400, body: { code: 40010001, message: `invalid symbol: ${r.symbol}` } }));
    },
    failWith(status: number) {
      fake.handleBars(() => ({ status, body: { message: 'service unavailable' } }));
    },
    garble() {
      fake.handleBars(() => GARBLED);
    },
    close: () => fake.close(),
  };
});

// An Alpaca venue wired to a fake Alpaca: the real REST client and trading stream on loopback, the venue
// receiving the stream's trade_updates, and `settle` waiting until requests are answered and every event the
// fake sent before then has been handled (a WebSocket ping's pong comes after them).

import { AlpacaTradingApi } from '../../src/execution/venues/alpaca/api.js';
import { AlpacaSessionBroker } from '../../src/execution/venues/alpaca/sessionBroker.js';
import { AlpacaTradeStream } from '../../src/execution/venues/alpaca/tradeStream.js';
import { AlpacaVenue, DEFAULT_ALPACA_VENUE, type AlpacaVenueOptions } from '../../src/execution/venues/alpaca/venue.js';
import type { VenueDeps } from '../../src/execution/venues/venue.js';
import { TRADING_KEY, TRADING_SECRET, type FakeAlpacaTrading } from './fakeAlpacaTrading.js';

export const TRADING_CREDENTIALS = { keyId: TRADING_KEY, secretKey: TRADING_SECRET } as const;

export interface AlpacaRig {
  readonly venue: AlpacaVenue;
  readonly stream: AlpacaTradeStream;
  readonly problems: string[];
  settle(): Promise<void>;
}

export function alpacaApi(fake: FakeAlpacaTrading): AlpacaTradingApi {
  return new AlpacaTradingApi({ baseUrl: fake.baseUrl, credentials: TRADING_CREDENTIALS, timeoutMs: 5_000, maxAttempts: 3, baseDelayMs: 5 });
}

/** A session's broker at `fake`: strangers canceled, a position mismatch halts, reconnects within 50 ms. */
export function alpacaSessionBroker(fake: FakeAlpacaTrading, name?: string): AlpacaSessionBroker {
  return new AlpacaSessionBroker({
    api: alpacaApi(fake),
    credentials: TRADING_CREDENTIALS,
    streamUrl: fake.streamUrl,
    venue: DEFAULT_ALPACA_VENUE,
    policy: { unknownOrders: 'cancel', positionMismatch: 'halt' },
    ...(name === undefined ? {} : { name }),
    reconnectBaseMs: 5,
    reconnectMaxMs: 50,
  });
}

/** The venue for `deps` on `fake`; its stream must be connected (`await rig.stream.connect()`) before orders flow. */
export function alpacaRig(fake: FakeAlpacaTrading, deps: VenueDeps, opts: Partial<AlpacaVenueOptions> = {}): AlpacaRig {
  const problems: string[] = [];
  const venue = new AlpacaVenue(alpacaApi(fake), deps, { ...DEFAULT_ALPACA_VENUE, onProblem: (m) => void problems.push(m), ...opts });
  const since = Date.now() - 60_000;
  const stream = new AlpacaTradeStream({
    url: fake.streamUrl,
    credentials: TRADING_CREDENTIALS,
    onUpdate: (u) => venue.onTradeUpdate(u),
    onProblem: (e) => void problems.push(e.message),
    onReconnected: () => venue.catchUp(since),
    baseDelayMs: 5,
    maxDelayMs: 50,
  });
  return {
    venue,
    stream,
    problems,
    async settle() {
      // Answers to requests can trigger more requests (a cancel asked before the ack): settle until quiet.
      for (let i = 0; i < 5; i++) {
        await venue.idle();
        await stream.flush();
      }
    },
  };
}

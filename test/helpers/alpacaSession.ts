// A hand-stepped trading session at the fake Alpaca with no strategy (orders come from the test) and no costs:
// open it, let the market trade a bar and the session take its step, and restart it from its journal with
// something happening at the broker while it is down. Shared by the bracket tests.

import type { AlpacaSessionBroker } from '../../src/execution/venues/alpaca/sessionBroker.js';
import type { MemorySessionStore } from '../../src/engine/live/sessionStore.js';
import type { TradingSession } from '../../src/engine/live/tradingSession.js';
import { barAt, type BarSeries } from '../../src/model/barSeries.js';
import { alpacaSessionBroker } from './alpacaVenueRig.js';
import type { FakeAlpacaTrading } from './fakeAlpacaTrading.js';
import { config, openSessionWith } from './tradingSession.js';

export interface AtAlpaca {
  readonly session: TradingSession;
  readonly broker: AlpacaSessionBroker;
}

export async function openAtAlpaca(fake: FakeAlpacaTrading, store: MemorySessionStore, series: BarSeries[], id: string): Promise<AtAlpaca> {
  const broker = alpacaSessionBroker(fake);
  const session = await openSessionWith({ store, series, config: { ...config(id), strategies: [], commission: 'none', slippage: 'none' }, broker });
  await broker.flush();
  return { session, broker };
}

/** The market trades bar `i` at the fake, then the session takes its step and the broker has answered. */
export async function stepAtAlpaca(fake: FakeAlpacaTrading, r: AtAlpaca, series: BarSeries[], i: number): Promise<void> {
  for (const s of series) fake.trade(barAt(s, i));
  await r.broker.flush();
  await r.session.advance(1);
  await r.broker.flush();
}

/** The session goes down, `whileDown` happens at the broker, and the session is reopened from its journal. */
export async function restartAtAlpaca(fake: FakeAlpacaTrading, r: AtAlpaca, store: MemorySessionStore, series: BarSeries[], id: string, whileDown: () => void): Promise<AtAlpaca> {
  await r.broker.close();
  whileDown();
  return openAtAlpaca(fake, store, series, id);
}

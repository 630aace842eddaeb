// The historical-provider contract: what every bar provider (Yahoo, Alpha Vantage, Alpaca, and the next one)
// must do behind HistoricalBarProvider, checked through its real HTTP code path against its fake. A provider's
// test calls providerContract() with a factory that makes the fake speak the service's wire format;
// docs/architecture.md ("to add a provider") points here.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historicalProvider } from '../../src/data/providers/index.js';
import type { HistoricalBarProvider, HistoricalBars } from '../../src/data/providers/types.js';
import { asyncErrorOf } from '../helpers/errors.js';

/** One daily bar as traded (raw), on a date; prices are multiples of 1/4 so every wire format carries them exactly. */
export interface ContractBar {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface ProviderUnderTest {
  readonly provider: HistoricalBarProvider;
  /** The fake serves these daily bars for `symbol` (and nothing else: other symbols are unknown to it). */
  serve(symbol: string, bars: readonly ContractBar[]): void;
  /** Every next request answers with this HTTP status and the service's own error body for it. */
  failWith(status: number): void;
  /** Every next request answers 200 with JSON the service never sends. */
  garble(): void;
  close(): Promise<void>;
}

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const DAY_MS = 86_400_000;

/** Two weeks of January 2024 sessions (no holiday inside; 15 January is MLK day, left out as the market was). */
const BARS: readonly ContractBar[] = [
  ['2024-01-08', 100.25, 101.5, 99.75, 101, 1_200_000],
  ['2024-01-09', 101, 102.25, 100.5, 102, 987_654],
  ['2024-01-10', 102, 103.75, 101.25, 103.5, 876_543],
  ['2024-01-11', 103.5, 104, 102.75, 103.25, 765_432],
  ['2024-01-12', 103.25, 105.5, 103, 105, 1_111_111],
  ['2024-01-16', 105, 105.25, 103.5, 104, 999_999],
  ['2024-01-17', 104, 106.75, 103.75, 106.5, 1_500_000],
].map(([date, open, high, low, close, volume]) => ({ date, open, high, low, close, volume }) as ContractBar);

function rows(r: HistoricalBars): ContractBar[] {
  const s = r.series;
  return Array.from({ length: s.length }, (_, i) => ({
    date: new Date(s.ts[i] as number).toISOString().slice(0, 10),
    open: s.open[i] as number,
    high: s.high[i] as number,
    low: s.low[i] as number,
    close: s.close[i] as number,
    volume: s.volume[i] as number,
  }));
}

export function providerContract(name: string, create: () => Promise<ProviderUnderTest>): void {
  describe(`historical provider contract: ${name}`, () => {
    let p: ProviderUnderTest;
    beforeAll(async () => {
      p = await create();
    });
    afterAll(async () => p?.close());

    it('is registered under its lower-case name (`--provider <name>`)', () => {
      expect(p.provider.name).toBe(name);
      expect(p.provider.name).toMatch(/^[a-z][a-z0-9]*$/);
      const keys = { APCA_API_KEY_ID: 'k', APCA_API_SECRET_KEY: 's', ALPHAVANTAGE_API_KEY: 'k' };
      expect(historicalProvider(name.toUpperCase(), keys).name).toBe(name);
    });

    it('returns the raw daily bars of the range at 00:00 UTC, oldest first, for the symbol and timeframe asked', async () => {
      p.serve('ACME', BARS);
      const r = await p.provider.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-01-01'), to: day('2024-01-31') + DAY_MS - 1 });
      expect(r.series.symbol).toBe('ACME');
      expect(r.series.timeframe).toBe('1d');
      expect(rows(r)).toEqual(BARS);
      for (let i = 0; i < r.series.length; i++) expect((r.series.ts[i] as number) % DAY_MS).toBe(0);
      expect(r.corporateActions).toEqual([]);
    });

    it('treats both ends of the range as inclusive', async () => {
      p.serve('ACME', BARS);
      const r = await p.provider.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-01-09'), to: day('2024-01-16') });
      expect(rows(r).map((b) => b.date)).toEqual(['2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-16']);
    });

    it('answers a range without sessions with an empty series, not an error', async () => {
      p.serve('ACME', BARS);
      const r = await p.provider.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-01-13'), to: day('2024-01-14') + DAY_MS - 1 });
      expect(r.series.length).toBe(0);
      expect(r.series.symbol).toBe('ACME');
    });

    it('gives the same answer to the same request', async () => {
      p.serve('ACME', BARS);
      const req = { symbol: 'ACME', timeframe: '1d', from: day('2024-01-01'), to: day('2024-01-31') };
      expect(rows(await p.provider.fetchBars(req))).toEqual(rows(await p.provider.fetchBars(req)));
    });

    it('refuses a symbol the service does not know with PI5_ERR_UNKNOWN_SYMBOL naming it', async () => {
      p.serve('ACME', BARS);
      const e = await asyncErrorOf(() => p.provider.fetchBars({ symbol: 'NOPE', timeframe: '1d', from: day('2024-01-01'), to: day('2024-01-31') }));
      expect(e.code).toBe('PI5_ERR_UNKNOWN_SYMBOL');
      expect(e.message).toContain('NOPE');
    });

    it('gives up on a failing service with PI5_ERR_PROVIDER naming the provider and symbol', async () => {
      p.failWith(503);
      const e = await asyncErrorOf(() => p.provider.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-01-01'), to: day('2024-01-31') }));
      expect(e.code).toBe('PI5_ERR_PROVIDER');
      expect(e.message).toContain(name);
      expect(e.message).toContain('ACME');
    });

    it('refuses a payload it cannot read with PI5_ERR_PROVIDER_PAYLOAD, never a partial series', async () => {
      p.garble();
      const e = await asyncErrorOf(() => p.provider.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-01-01'), to: day('2024-01-31') }));
      expect(e.code).toBe('PI5_ERR_PROVIDER_PAYLOAD');
      expect(e.message).toContain('ACME');
    });

    it('refuses a timeframe the service does not have (3-day bars: none of them do), naming it', async () => {
      p.serve('ACME', BARS);
      const e = await asyncErrorOf(() => p.provider.fetchBars({ symbol: 'ACME', timeframe: '3d', from: day('2024-01-01'), to: day('2024-01-31') }));
      expect(e.code).toBe('PI5_ERR_BAD_USAGE');
      expect(e.message).toContain('3d');
    });
  });
}

// Builds Yahoo v8 chart payloads in the real wire shape from raw (as traded) bars we make up: timestamps at
// the session's open instant, OHLC/volume/dividends split-adjusted to "today" and squeezed through float32
// as Yahoo's are, null rows for missing sessions, events keyed by epoch-second strings.

import { zoneOffsetMs } from '../../../../src/core/tz.js';

export interface RawBar {
  /** 'YYYY-MM-DD' (daily: the session date) or an ISO instant (intraday: the bar's open). */
  readonly at: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface ChartFixture {
  readonly symbol: string;
  readonly timeZone?: string;
  /** Session open, local wall time (Yahoo stamps daily bars with it). */
  readonly openLocal?: { hour: number; minute: number };
  readonly interval?: string;
  /** A null entry is a missing session: Yahoo keeps its timestamp and sends nulls. */
  readonly bars: ReadonlyArray<RawBar | { at: string; missing: true }>;
  readonly splits?: ReadonlyArray<{ date: string; numerator: number; denominator: number }>;
  readonly dividends?: ReadonlyArray<{ date: string; amount: number }>;
  readonly currency?: string;
}

/** Epoch seconds of `date`'s session open in `timeZone` (DST-aware). */
export function sessionOpen(date: string, timeZone: string, hour = 9, minute = 30): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Two passes settle the offset across a DST change.
  let t = wall - zoneOffsetMs(wall, timeZone);
  t = wall - zoneOffsetMs(t, timeZone);
  return t / 1000;
}

function instant(at: string, f: ChartFixture): number {
  if (at.length === 10) return sessionOpen(at, f.timeZone ?? 'America/New_York', f.openLocal?.hour, f.openLocal?.minute);
  return Date.parse(at) / 1000;
}

/** Product of split ratios going ex after `t` (epoch s): Yahoo divides earlier prices by it. */
function factorAfter(f: ChartFixture, t: number): number {
  let k = 1;
  for (const s of f.splits ?? []) if (instant(s.date, f) > t) k *= s.numerator / s.denominator;
  return k;
}

export function chartPayload(f: ChartFixture): unknown {
  const tz = f.timeZone ?? 'America/New_York';
  const stamps: number[] = [];
  const q = { open: [] as Array<number | null>, high: [] as Array<number | null>, low: [] as Array<number | null>, close: [] as Array<number | null>, volume: [] as Array<number | null> };
  const adj: Array<number | null> = [];
  for (const b of f.bars) {
    const t = instant(b.at, f);
    stamps.push(t);
    if ('missing' in b) {
      for (const col of Object.values(q)) col.push(null);
      adj.push(null);
      continue;
    }
    const k = factorAfter(f, t);
    q.open.push(Math.fround(b.open / k));
    q.high.push(Math.fround(b.high / k));
    q.low.push(Math.fround(b.low / k));
    q.close.push(Math.fround(b.close / k));
    q.volume.push(Math.round(b.volume * k));
    adj.push(Math.fround((b.close / k) * 0.99));
  }
  const events: Record<string, Record<string, unknown>> = {};
  if (f.dividends?.length) {
    events.dividends = Object.fromEntries(f.dividends.map((d) => {
      const t = instant(d.date, f);
      return [String(t), { amount: Math.fround(d.amount / factorAfter(f, t)), date: t }];
    }));
  }
  if (f.splits?.length) {
    events.splits = Object.fromEntries(f.splits.map((s) => {
      const t = instant(s.date, f);
      return [String(t), { date: t, numerator: s.numerator, denominator: s.denominator, splitRatio: `${s.numerator}:${s.denominator}` }];
    }));
  }
  const now = Date.UTC(2024, 11, 31) / 1000;
  return {
    chart: {
      result: [
        {
          meta: {
            currency: f.currency ?? 'USD',
            symbol: f.symbol,
            exchangeName: 'NMS',
            instrumentType: 'EQUITY',
            firstTradeDate: 345479400,
            regularMarketTime: now,
            gmtoffset: zoneOffsetMs(now * 1000, tz) / 1000,
            timezone: 'EST',
            exchangeTimezoneName: tz,
            priceHint: 2,
            dataGranularity: f.interval ?? '1d',
            range: '',
          },
          // Yahoo leaves out timestamp and the quote columns when the range holds no rows.
          ...(stamps.length === 0 ? {} : { timestamp: stamps }),
          ...(Object.keys(events).length === 0 ? {} : { events }),
          indicators: stamps.length === 0 ? { quote: [{}], adjclose: [{}] } : { quote: [q], adjclose: [{ adjclose: adj }] },
        },
      ],
      error: null,
    },
  };
}

export function chartError(code: string, description: string): unknown {
  return { chart: { result: null, error: { code, description } } };
}

/**
 * What `GET /v8/finance/chart/{symbol}?range=1d&interval=1d` answers (the live quote feed reads its meta): the
 * last price and its time beside one daily row. Real payloads carry more meta (day high/low, volume, names).
 */
export function latestPayload(symbol: string, price: number, timeS: number, extra: Record<string, unknown> = {}): unknown {
  return {
    chart: {
      result: [
        {
          meta: {
            currency: 'USD',
            symbol,
            exchangeName: 'NMS',
            instrumentType: 'EQUITY',
            regularMarketTime: timeS,
            gmtoffset: -18000,
            timezone: 'EST',
            exchangeTimezoneName: 'America/New_York',
            regularMarketPrice: price,
            chartPreviousClose: Math.round(price * 0.99 * 100) / 100,
            priceHint: 2,
            dataGranularity: '1d',
            range: '1d',
            ...extra,
          },
          timestamp: [timeS - 23_400],
          indicators: { quote: [{ open: [price], high: [price], low: [price], close: [price], volume: [1000] }], adjclose: [{ adjclose: [price] }] },
        },
      ],
      error: null,
    },
  };
}

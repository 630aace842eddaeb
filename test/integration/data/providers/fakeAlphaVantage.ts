// A local stand-in for www.alphavantage.co: node:http on 127.0.0.1 and a random port answering GET /query
// through a handler the test swaps, plus payload builders in Alpha Vantage's wire format (numbered string
// fields, newest row first, "Meta Data" numbering that differs per function, HTTP 200 notices).

import { startFakeJsonServer, type FakeReply, type FakeServer } from './fakeJsonServer.js';

export interface AvRequest {
  readonly params: URLSearchParams;
}

export type AvHandler = (req: AvRequest, n: number) => FakeReply;
export type FakeAlphaVantage = FakeServer<AvRequest>;

export function startFakeAlphaVantage(): Promise<FakeAlphaVantage> {
  return startFakeJsonServer<AvRequest>({ route: (url) => (url.pathname === '/query' ? { params: url.searchParams } : null) });
}

export interface AvBar {
  /** Daily: 'YYYY-MM-DD'; intraday: 'YYYY-MM-DD HH:MM:SS' in US/Eastern wall time (the bar's open). */
  readonly at: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  /** Adjusted series only. */
  readonly dividend?: string;
  readonly split?: string;
  readonly adjClose?: string;
}

function newestFirst(bars: readonly AvBar[]): AvBar[] {
  return [...bars].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

const ohlc = (b: AvBar) => ({ '1. open': b.open, '2. high': b.high, '3. low': b.low, '4. close': b.close });

/** TIME_SERIES_DAILY (adjusted=false) or TIME_SERIES_DAILY_ADJUSTED. */
export function dailyPayload(symbol: string, bars: readonly AvBar[], adjusted: boolean): unknown {
  const series: Record<string, unknown> = {};
  for (const b of newestFirst(bars)) {
    series[b.at] = adjusted
      ? { ...ohlc(b), '5. adjusted close': b.adjClose ?? b.close, '6. volume': b.volume, '7. dividend amount': b.dividend ?? '0.0000', '8. split coefficient': b.split ?? '1.0' }
      : { ...ohlc(b), '5. volume': b.volume };
  }
  const last = newestFirst(bars)[0]?.at ?? '2024-01-02';
  const info = adjusted ? 'Daily Time Series with Splits and Dividend Events' : 'Daily Prices (open, high, low, close) and Volumes';
  return {
    'Meta Data': { '1. Information': info, '2. Symbol': symbol, '3. Last Refreshed': last, '4. Output Size': 'Full size', '5. Time Zone': 'US/Eastern' },
    'Time Series (Daily)': series,
  };
}

/** TIME_SERIES_WEEKLY(_ADJUSTED): rows keyed by the week's last trading day; adjusted rows carry dividends only. */
export function weeklyPayload(symbol: string, bars: readonly AvBar[], adjusted: boolean): unknown {
  const series: Record<string, unknown> = {};
  for (const b of newestFirst(bars)) {
    series[b.at] = adjusted ? { ...ohlc(b), '5. adjusted close': b.adjClose ?? b.close, '6. volume': b.volume, '7. dividend amount': b.dividend ?? '0.0000' } : { ...ohlc(b), '5. volume': b.volume };
  }
  return {
    'Meta Data': { '1. Information': adjusted ? 'Weekly Adjusted Prices and Volumes' : 'Weekly Prices (open, high, low, close) and Volumes', '2. Symbol': symbol, '3. Last Refreshed': newestFirst(bars)[0]?.at ?? '', '4. Time Zone': 'US/Eastern' },
    [adjusted ? 'Weekly Adjusted Time Series' : 'Weekly Time Series']: series,
  };
}

export function intradayPayload(symbol: string, interval: string, bars: readonly AvBar[]): unknown {
  const series: Record<string, unknown> = {};
  for (const b of newestFirst(bars)) series[b.at] = { ...ohlc(b), '5. volume': b.volume };
  return {
    'Meta Data': {
      '1. Information': `Intraday (${interval}) open, high, low, close prices and volume`,
      '2. Symbol': symbol,
      '3. Last Refreshed': newestFirst(bars)[0]?.at ?? '',
      '4. Interval': interval,
      '5. Output Size': 'Full size',
      '6. Time Zone': 'US/Eastern',
    },
    [`Time Series (${interval})`]: series,
  };
}

/** The throttle replies as Alpha Vantage words them (HTTP 200). */
export const NOTE_THROTTLE = {
  Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.',
};
export const INFORMATION_THROTTLE = {
  Information:
    'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day) and instantly unlock all premium endpoints',
};
export const INFORMATION_PREMIUM = {
  Information: 'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
};
export const ERROR_MESSAGE = {
  'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY_ADJUSTED.',
};

export const bar = (at: string, open: string, high: string, low: string, close: string, volume: string, extra: Partial<AvBar> = {}): AvBar => ({ at, open, high, low, close, volume, ...extra });

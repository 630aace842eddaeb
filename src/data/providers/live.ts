// Real-time feeds by CLI name (`pi5 data stream --provider alpaca`): Alpaca's WebSocket, Yahoo quotes by
// polling, and recorded bars (CSV files or the bar store) replayed; all implement the same LiveFeed interface.

import { Pi5Error } from '../../core/errors.js';
import { toOpenTime, type BarTimeLabel } from '../barTime.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { AlpacaFeed } from './alpaca/api.js';
import { alpacaStreamFromEnv } from './alpaca/stream.js';
import { CsvReplayFeed, csvSource, type ReplaySpeed } from './csvReplayFeed.js';
import type { LiveFeed } from './types.js';
import { yahooQuoteFeedFromEnv } from './yahoo/quoteFeed.js';

export type { LiveBar, LiveError, LiveFeed, LiveFeedEvents, LiveStatus, LiveSubscription } from './types.js';
export { AlpacaLiveFeed } from './alpaca/stream.js';
export { YahooQuoteFeed } from './yahoo/quoteFeed.js';
export { CsvReplayFeed, csvSource, parseSpeed, type ReplaySpeed } from './csvReplayFeed.js';

export const LIVE_PROVIDERS = ['alpaca', 'yahoo', 'csv', 'store'] as const;

export interface LiveFeedOptions {
  /** Alpaca: 'iex' (free) or 'sip'. */
  readonly feed?: AlpacaFeed;
  /** Yahoo: time between polls (default YAHOO_POLL_S or 15 s). */
  readonly pollMs?: number;
  /** csv: files or directories of bar CSVs. */
  readonly data?: readonly string[];
  /** csv: what the files' timestamps name (bar ends move back one bar to the open-time key); default open. */
  readonly barTime?: BarTimeLabel;
  /** csv, store: replay pace. */
  readonly speed?: ReplaySpeed;
  /** store: reads the bars to replay (the CLI passes a bar-store read; data/ does not open databases). */
  readonly loadBars?: () => Promise<readonly BarSeries[]>;
}

export function liveFeed(name: string, o: LiveFeedOptions = {}, env: NodeJS.ProcessEnv = process.env): LiveFeed {
  const key = name.trim().toLowerCase();
  const speed = o.speed === undefined ? {} : { speed: o.speed };
  if (key === 'alpaca') return alpacaStreamFromEnv(o.feed ?? 'iex', env);
  if (key === 'yahoo') return yahooQuoteFeedFromEnv(env, o.pollMs);
  if (key === 'csv') {
    if (o.data === undefined || o.data.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--provider csv needs --data <file.csv or directory>');
    const read = csvSource(o.data);
    const barTime = o.barTime ?? 'open';
    const load = async (): Promise<BarSeries[]> => (await read()).map((s) => toOpenTime(s, barTime));
    return new CsvReplayFeed({ load, name: 'csv', source: o.data.join(', '), ...speed });
  }
  if (key === 'store') {
    if (o.loadBars === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--provider store needs a bar-store reader');
    return new CsvReplayFeed({ load: o.loadBars, name: 'store', source: 'the bar store', ...speed });
  }
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--provider ${JSON.stringify(name)} has no real-time feed; streaming: ${LIVE_PROVIDERS.join(', ')}`, { provider: name });
}

// Real-time feeds by CLI name (`pi5 data stream --provider alpaca`). Only Alpaca streams so far; a Yahoo
// polling feed and the CSV replay feed will implement the same LiveFeed interface.

import { Pi5Error } from '../../core/errors.js';
import type { AlpacaFeed } from './alpaca/api.js';
import { alpacaStreamFromEnv } from './alpaca/stream.js';
import type { LiveFeed } from './types.js';

export type { LiveBar, LiveError, LiveFeed, LiveFeedEvents, LiveStatus, LiveSubscription } from './types.js';
export { AlpacaLiveFeed } from './alpaca/stream.js';

export const LIVE_PROVIDERS = ['alpaca'] as const;

export interface LiveFeedOptions {
  /** Alpaca: 'iex' (free) or 'sip'. */
  readonly feed?: AlpacaFeed;
}

export function liveFeed(name: string, o: LiveFeedOptions = {}, env: NodeJS.ProcessEnv = process.env): LiveFeed {
  const key = name.trim().toLowerCase();
  if (key === 'alpaca') return alpacaStreamFromEnv(o.feed ?? 'iex', env);
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--provider ${JSON.stringify(name)} has no real-time feed; streaming: ${LIVE_PROVIDERS.join(', ')}`, { provider: name });
}

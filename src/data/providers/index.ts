// Historical bar providers by CLI name (issue 5); planned ones are named so the CLI can say they are planned
// rather than unknown.

import { Pi5Error } from '../../core/errors.js';
import type { Cache } from '../../cache/types.js';
import { alpacaFromEnv } from './alpaca/provider.js';
import { alphaVantageFromEnv } from './alphavantage/provider.js';
import type { HistoricalBarProvider } from './types.js';
import { yahooFromEnv } from './yahoo/provider.js';

export type { CorporateAction, HistoricalBarProvider, HistoricalBarRequest, HistoricalBars } from './types.js';
export { YahooProvider, YAHOO_TIMEFRAMES } from './yahoo/provider.js';
export { AlphaVantageProvider, ALPHAVANTAGE_TIMEFRAMES } from './alphavantage/provider.js';
export { AlpacaProvider } from './alpaca/provider.js';

export const SUPPORTED_PROVIDERS = ['yahoo', 'alphavantage', 'alpaca'] as const;
const PLANNED: readonly string[] = [];

/** What providers may share: the cache holding request budgets (Redis-backed when REDIS_URL is set). */
export interface ProviderDeps {
  readonly cache?: Cache;
}

export function historicalProvider(name: string, env: NodeJS.ProcessEnv = process.env, deps: ProviderDeps = {}): HistoricalBarProvider {
  const key = name.trim().toLowerCase();
  if (key === 'yahoo') return yahooFromEnv(env);
  if (key === 'alphavantage') return alphaVantageFromEnv(env, deps);
  if (key === 'alpaca') return alpacaFromEnv(env, undefined, deps.cache);
  const why = PLANNED.includes(key) ? 'is not yet supported' : 'is not a provider';
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--provider ${JSON.stringify(name)} ${why}; supported: ${SUPPORTED_PROVIDERS.join(', ')}`, { provider: name });
}

// Historical bar providers by CLI name. Only Yahoo exists so far (issue 5); the others are named so the CLI
// can say they are planned rather than unknown.

import { Pi5Error } from '../../core/errors.js';
import type { HistoricalBarProvider } from './types.js';
import { yahooFromEnv } from './yahoo/provider.js';

export type { CorporateAction, HistoricalBarProvider, HistoricalBarRequest, HistoricalBars } from './types.js';
export { YahooProvider, YAHOO_TIMEFRAMES } from './yahoo/provider.js';

export const SUPPORTED_PROVIDERS = ['yahoo'] as const;
const PLANNED = ['alphavantage', 'alpaca'];

export function historicalProvider(name: string, env: NodeJS.ProcessEnv = process.env): HistoricalBarProvider {
  const key = name.trim().toLowerCase();
  if (key === 'yahoo') return yahooFromEnv(env);
  const why = PLANNED.includes(key) ? 'is not yet supported' : 'is not a provider';
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--provider ${JSON.stringify(name)} ${why}; supported: ${SUPPORTED_PROVIDERS.join(', ')}`, { provider: name });
}

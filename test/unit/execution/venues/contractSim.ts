// The simulated exchange as the venue contract runs it: no costs, and its liquidity rule (at most half a bar's
// volume fills per bar).

import { parseCommission } from '../../../../src/execution/venues/sim/commission.js';
import type { ExchangeConfig } from '../../../../src/execution/venues/sim/index.js';
import { parseSlippage } from '../../../../src/execution/venues/sim/slippage.js';

export const CONTRACT_SIM: ExchangeConfig = {
  commission: parseCommission('none'),
  slippage: parseSlippage('none'),
  fillOn: 'open',
  volumeLimitPct: 50,
  ocoBothFill: 'stop-loss',
};

// The risk-limits form: values from a config, checks before sending, and the merge back into the whole config.

import { describe, expect, it } from 'vitest';
import { buildRiskConfig, limitValues } from '../../../web/src/riskForm.js';

const config = { global: { maxPositionQty: 500, restrictedSymbols: ['XYZ'] }, strategies: { sma: { maxPositionQty: 10 } }, killSwitch: { flattenOnTrip: true } };
const inForce = { maxLeverage: 1, maxOpenOrders: 1000, allowShort: true, maxPositionQty: 500 };

describe('risk limits form', () => {
  it('shows configured limits, always-on ones from the limits in force, others blank (off)', () => {
    const v = limitValues(config, inForce);
    expect([v.maxPositionQty, v.maxLeverage, v.maxOpenOrders, v.allowShort, v.maxDailyLoss]).toEqual(['500', '1', '1000', 'true', '']);
  });

  it('merges the fields into the global layer and keeps everything else of the config', () => {
    const v = { ...limitValues(config, inForce), maxPositionQty: '', maxDailyLossPct: '2.5', allowShort: 'false' };
    expect(buildRiskConfig(config, v)).toEqual({
      config: {
        global: { restrictedSymbols: ['XYZ'], maxLeverage: 1, maxOpenOrders: 1000, allowShort: false, maxDailyLossPct: 2.5 },
        strategies: { sma: { maxPositionQty: 10 } },
        killSwitch: { flattenOnTrip: true },
      },
      errors: {},
    });
  });

  it('names each bad field in words and sends nothing', () => {
    const v = { ...limitValues(config, inForce), maxOpenOrders: '-3', maxLeverage: '', maxDrawdownPct: '150', maxCorrelation: '2', maxOrdersPerDay: '1.5', minPrice: 'abc' };
    const r = buildRiskConfig(config, v);
    expect(r.config).toBeNull();
    expect(r.errors).toEqual({
      maxOpenOrders: 'Max open orders: must be above zero.',
      maxLeverage: 'Max leverage (1 = no margin) is always in force: enter a value.',
      maxDrawdownPct: 'Max drawdown (%): a percent of at most 100.',
      maxCorrelation: 'Max correlation (0–1): between 0 and 1.',
      maxOrdersPerDay: 'Max orders per day: enter a whole number.',
      minPrice: 'Min price: "abc" is not a number.',
    });
  });
});

// An API backtest without `size` takes the CLI's default: the account split evenly over its symbols (decision
// 0012); a given size is kept as written; duplicate symbols count once.

import { describe, expect, it } from 'vitest';
import { checkBacktestRequest } from '../../../../src/backtest/jobs/backtestRequest.js';
import { expectCode } from '../../../helpers/errors.js';

describe('checkBacktestRequest sizing', () => {
  it('defaults to 100% for one symbol and equal:N for N distinct symbols', () => {
    expect(checkBacktestRequest({ strategy: 'sma-cross', symbols: ['AAA'] }).size).toBe('100%');
    expect(checkBacktestRequest({ strategy: 'sma-cross', symbols: ['AAA', 'bbb', 'BBB', 'CCC'] }).size).toBe('equal:3');
  });

  it('keeps a given size and refuses a bad one', () => {
    expect(checkBacktestRequest({ strategy: 'sma-cross', symbols: ['AAA', 'BBB'], size: '100' }).size).toBe('100');
    expectCode(() => checkBacktestRequest({ strategy: 'sma-cross', symbols: ['AAA'], size: 'lots' }), 'PI5_ERR_BAD_USAGE');
  });
});

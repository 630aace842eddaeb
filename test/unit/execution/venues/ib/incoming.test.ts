// Decoding completedOrder (server version 151) with every counted and conditional part present: the terms and
// orderRef read in order, the order state's status after the skipped attributes, and the completion fields
// read from the end past order conditions the decoder does not walk. Field lists written from the protocol's
// field order, by hand, independently of the fake gateway's encoder.

import { describe, expect, it } from 'vitest';
import { completedOrder } from '../../../../../src/execution/venues/ib/incoming.js';

const contract = ['265598', 'AAPL', 'STK', '', '0', '', '', 'SMART', 'USD', 'AAPL', 'NMS'];

function message(opts: { rich: boolean }): string[] {
  const r = opts.rich;
  return [
    '101',
    ...contract,
    ...['BUY', '100', 'LMT', '150.25', '', 'GTC', 'oca-1', 'DU111', '', '0', 'pi5-s1-42', '987654'],
    // outsideRth .. triggerMethod (27), volatility, volatilityType
    ...['0', '0', '0', '', '', '', '', '', '', '', '', '', '', '0', '', '-1', '', '', '', '', '', '', '0', '0', '', '1', '0', '', '0'],
    // deltaNeutralOrderType, auxPrice, [conId, shortSale, slot, location], continuousUpdate, referencePriceType, trailStopPrice, trailingPercent
    ...(r ? ['LMT', '1.5', '12345', '0', '0', ''] : ['', '']),
    ...['0', '0', '', ''],
    // comboLegsDescrip, combo legs (8 each), order combo legs, smart routing params (2 each)
    '',
    ...(r ? ['1', '1', '1', 'BUY', 'SMART', '0', '0', '', '-1', '1', '1.1', '1', 'NonGuaranteed', '1'] : ['0', '0', '0']),
    // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement [+7]
    ...(r ? ['10', '5', '0.5', '0.1', '60', '0.2', '1', '0', '0', '0'] : ['', '', '']),
    // hedgeType [hedgeParam], clearingAccount, clearingIntent, notHeld, deltaNeutral contract [conId, delta, price]
    ...(r ? ['D', '0.5'] : ['']),
    ...['', '', '0'],
    ...(r ? ['1', '777', '0.4', '12.5'] : ['0']),
    // algoStrategy [count, tag/value pairs], solicited, status
    ...(r ? ['Adaptive', '1', 'adaptivePriority', 'Normal'] : ['']),
    '0',
    'Cancelled',
    // randomizeSize, randomizePrice, conditions (one price condition) + conditionsIgnoreRth, conditionsCancelOrder
    ...['0', '0'],
    ...(r ? ['1', '1', 'a', '1', '265598', 'SMART', '200.0', '0', '1', '0'] : ['0']),
    // trailStopPrice, lmtPriceOffset, cashQty, dontUseAutoPriceForHedge, isOmsContainer, autoCancelDate
    ...['', '', '', '0', '0', ''],
    // filledQuantity, refFuturesConId, autoCancelParent, shareholder, imbalanceOnly, routeMarketableToBbo,
    // parentPermId, completedTime, completedStatus
    ...['30', '0', '0', '', '0', '0', '', '20240102 15:59:58 America/New_York', 'Cancelled by Trader'],
  ];
}

describe('IB completedOrder', () => {
  it.each([
    ['plain', false],
    ['with delta-neutral, combo, scale, hedge, algo and condition parts', true],
  ])('decodes a %s order', (_what, rich) => {
    expect(completedOrder(message({ rich }))).toEqual({
      symbol: 'AAPL',
      action: 'BUY',
      totalQuantity: 100,
      orderType: 'LMT',
      tif: 'GTC',
      orderRef: 'pi5-s1-42',
      permId: 987654,
      status: 'Cancelled',
      filledQuantity: 30,
      completedTime: '20240102 15:59:58 America/New_York',
      completedStatus: 'Cancelled by Trader',
    });
  });

  it('says so when the message ends before the completion fields', () => {
    expect(() => completedOrder(message({ rich: false }).slice(0, 60))).toThrow(/completedOrder/);
  });
});

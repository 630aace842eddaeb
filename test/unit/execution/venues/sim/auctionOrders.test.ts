// Auction orders (OPG, CLS) on the simulated exchange: it trades bars and has no opening or closing auction, so it
// refuses them with the reason instead of filling them at a price no auction set; a working order cannot be
// modified into one either.

import { describe, expect, it } from 'vitest';
import { bar, instrument, venueRig, type Row } from '../../../engine/fixtures.js';

const quiet: Row = [100, 101, 99, 100];

describe('simulated exchange: auction orders', () => {
  it.each(['OPG', 'CLS'] as const)('rejects %s with the reason, and fills nothing', (tif) => {
    const rig = venueRig({}, [instrument('AAPL', 2, 'America/New_York')]);
    const o = rig.oms.create({ symbol: 'AAPL', side: 'buy', quantity: 10, type: 'market', tif }, null);
    rig.oms.submit(o);
    rig.exchange.onBar(bar(Date.parse('2026-12-07T14:30:00Z'), quiet, 'AAPL', '1m'));
    expect(o.status).toBe('rejected');
    expect(o.rejectReason).toBe(`time in force ${tif} (auction order) is for broker venues (alpaca); the simulated exchange has no opening or closing auction`);
    expect(rig.fills).toHaveLength(0);
    // Finished orders are kept packed in the order archive: the time in force survives the round trip.
    expect(rig.oms.get(o.id)).toMatchObject({ tif, status: 'rejected', type: 'market' });
  });

  it('refuses to modify a working order into an auction order; it keeps working as it was', () => {
    const rig = venueRig({}, [instrument('AAPL', 2, 'America/New_York')]);
    const o = rig.oms.create({ symbol: 'AAPL', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'DAY' }, null);
    rig.oms.submit(o);
    expect(rig.exchange.replace(o, { tif: 'CLS' })).toBe(false);
    expect([o.status, o.tif]).toEqual(['accepted', 'DAY']);
  });
});

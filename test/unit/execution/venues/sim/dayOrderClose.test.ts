// DAY orders against a market calendar (live sessions): a DAY limit order that has not filled by the NYSE close
// expires on the first bar at or after the close, so it never fills on after-hours bars; on a half day the close
// is 13:00; without the option the backtest rule (next exchange-local day) still holds.

import { describe, expect, it } from 'vitest';
import { nyseCalendar } from '../../../../../src/data/calendar/marketCalendar.js';
import { bar, instrument, venueRig, type Row } from '../../../engine/fixtures.js';

const quiet: Row = [100, 100.5, 99.5, 100];
const dip: Row = [95, 95, 85, 88]; // would fill a buy limit at 90

function run(times: string[], withCalendar: boolean) {
  const rig = venueRig(withCalendar ? { dayOrderClose: (ts) => nyseCalendar.nextClose(ts) } : {}, [instrument('AAPL', 2, 'America/New_York')]);
  const ts = times.map(Date.parse);
  rig.exchange.onBar(bar(ts[0] as number, quiet, 'AAPL', '1m'));
  rig.oms.submit(rig.oms.create({ symbol: 'AAPL', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'DAY' }, null));
  ts.slice(1).forEach((t, i) => rig.exchange.onBar(bar(t, i === ts.length - 2 ? dip : quiet, 'AAPL', '1m')));
  return rig;
}

describe('DAY orders with a market calendar', () => {
  // Monday 2026-12-07 (EST): 15:58 decide, 15:59 quiet, then the 16:00 and 16:30 after-hours bars, the last dipping.
  const evening = ['2026-12-07T20:58:00Z', '2026-12-07T20:59:00Z', '2026-12-07T21:00:00Z', '2026-12-07T21:30:00Z'];

  it('expires at the first bar at or after the close: no fill after hours', () => {
    const rig = run(evening, true);
    expect(rig.fills).toHaveLength(0);
    expect(rig.updates.at(-1)).toMatchObject({ status: 'expired', ts: Date.parse('2026-12-07T21:00:00Z') });
  });

  it('without a calendar keeps working until the next local day (and fills after hours)', () => {
    const rig = run(evening, false);
    expect(rig.fills.map((f) => f.price)).toEqual([90]);
  });

  it('closes at 13:00 on a half day, and fills within the session', () => {
    const half = ['2026-11-27T17:50:00Z', '2026-11-27T17:55:00Z', '2026-11-27T18:00:00Z', '2026-11-27T18:05:00Z'];
    expect(run(half, true).updates.at(-1)).toMatchObject({ status: 'expired', ts: Date.parse('2026-11-27T18:00:00Z') });
    const within = ['2026-12-07T20:50:00Z', '2026-12-07T20:55:00Z', '2026-12-07T20:59:00Z'];
    expect(run(within, true).fills.map((f) => f.price)).toEqual([90]);
  });
});

// VWAP: cumulative typical-price weighting by hand, session resets, agreement with a recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VWAP } from '../../../src/indicators/index.js';
import { barPath, expectClose } from './helpers.js';
import { naiveVwap } from './naive.js';

describe('VWAP', () => {
  it('weights the typical price by volume since the session start (hand-checked)', () => {
    const v = new VWAP();
    // (11 + 9 + 10)/3 = 10 × 100 → 10
    expect(v.updateBar(11, 9, 10, 100)).toBe(10);
    // (12 + 10 + 11)/3 = 11 × 300 → (1000 + 3300)/400 = 10.75
    expect(v.updateBar(12, 10, 11, 300)).toBe(10.75);
    expect(v.sessionVolume).toBe(400);
  });

  it('restarts on reset() and waits for volume before it is ready', () => {
    const v = new VWAP();
    v.updateBar(11, 9, 10, 100);
    v.reset();
    expect(v.value).toBeNaN();
    // A zero-volume bar carries no weight: still not ready.
    expect(v.updateBar(5, 5, 5, 0)).toBeNaN();
    expect(v.isReady).toBe(false);
    // (6 + 3 + 6)/3 = 5 × 10 → 5
    expect(v.updateBar(6, 3, 6, 10)).toBe(5);
    expect(v.isReady).toBe(true);
  });

  it('matches a per-session recomputation within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(barPath(1, 300), fc.array(fc.nat(299), { maxLength: 6 }), (bs, starts) => {
        const sessions = new Set(starts);
        const want = naiveVwap(bs, sessions);
        const v = new VWAP();
        bs.forEach((b, i) => {
          if (sessions.has(i)) v.reset();
          expectClose(v.updateBar(b.high, b.low, b.close, b.volume), want[i]!);
        });
      }),
    );
  });
});
